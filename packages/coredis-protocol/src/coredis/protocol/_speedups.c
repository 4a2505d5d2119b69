/* coredis.protocol._speedups: commands to RESP bytes in C.
 *
 * The optional compiled twin of the encoder's fast paths (see _encoder.py). It encodes
 * exactly what those paths encode: arguments of the exact types bytes, str (as UTF-8), int
 * (that fit in 64 bits) and float (but NaN). For anything else (subclasses, bool, buffers,
 * a str that UTF-8 cannot encode, a huge int, NaN) it returns None, and the Python path
 * encodes the command or raises the error that names the argument. The output is built in two passes
 * over the arguments: the first checks every type and adds up the size, the second writes
 * into one bytes object of that size. No Python code can run between the two (only exact
 * built-in types are read), so the arguments cannot change under it.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <string.h>

/* Digits of a non-negative number below 2**64. */
static Py_ssize_t
digits(unsigned long long value)
{
    Py_ssize_t count = 1;
    while (value >= 10) {
        value /= 10;
        count++;
    }
    return count;
}

/* Writes the decimal digits of value ending just before end; returns where they start. */
static char *
write_digits_backwards(char *end, unsigned long long value)
{
    do {
        *--end = (char)('0' + value % 10);
        value /= 10;
    } while (value);
    return end;
}

/* The absolute value of number, which may be the most negative long long. */
static unsigned long long
magnitude(long long number)
{
    return number < 0 ? 0ULL - (unsigned long long)number : (unsigned long long)number;
}

/* Writes "<prefix><n>\r\n" at out (n is not negative); returns the position after it. */
static char *
write_header(char *out, char prefix, Py_ssize_t n)
{
    *out++ = prefix;
    out += digits((unsigned long long)n);
    write_digits_backwards(out, (unsigned long long)n);
    *out++ = '\r';
    *out++ = '\n';
    return out;
}

/* One argument, as the first pass saw it. */
typedef struct {
    const char *data; /* NULL for an int: its text is made again by the second pass */
    Py_ssize_t size;
    long long number;
} piece;

typedef struct {
    piece *pieces;
    Py_ssize_t count;
    Py_ssize_t capacity;
    PyObject *keep; /* texts made for arguments (non-ASCII str, float), alive until the end */
    Py_ssize_t total;
} plan;

/* Keeps obj (a new reference, which this takes) alive until the plan is cleared; -1 with
 * an exception set when out of memory. */
static int
keep(plan *p, PyObject *obj)
{
    if (p->keep == NULL && (p->keep = PyList_New(0)) == NULL) {
        Py_DECREF(obj);
        return -1;
    }
    int failed = PyList_Append(p->keep, obj);
    Py_DECREF(obj);
    return failed ? -1 : 0;
}

/* Adds one argument to the plan; 1 when done, 0 when the Python path must take the whole
 * batch, -1 with an exception set (out of memory). */
static int
plan_argument(plan *p, PyObject *arg)
{
    piece *item = &p->pieces[p->count];
    if (PyBytes_CheckExact(arg)) {
        item->data = PyBytes_AS_STRING(arg);
        item->size = PyBytes_GET_SIZE(arg);
    }
    else if (PyUnicode_CheckExact(arg)) {
        if (PyUnicode_IS_ASCII(arg)) {
            item->data = (const char *)PyUnicode_DATA(arg);
            item->size = PyUnicode_GET_LENGTH(arg);
        }
        else {
            PyObject *encoded = PyUnicode_AsUTF8String(arg);
            if (encoded == NULL) {
                if (PyErr_ExceptionMatches(PyExc_UnicodeError)) {
                    PyErr_Clear(); /* a lone surrogate: the Python path raises */
                    return 0;
                }
                return -1;
            }
            if (keep(p, encoded) < 0) {
                return -1;
            }
            item->data = PyBytes_AS_STRING(encoded); /* kept alive by p->keep */
            item->size = PyBytes_GET_SIZE(encoded);
        }
    }
    else if (PyLong_CheckExact(arg)) {
        int overflow = 0;
        long long number = PyLong_AsLongLongAndOverflow(arg, &overflow);
        if (overflow) {
            return 0;
        }
        if (number == -1 && PyErr_Occurred()) {
            return -1;
        }
        item->data = NULL;
        item->number = number;
        item->size = digits(magnitude(number)) + (number < 0);
    }
    else if (PyFloat_CheckExact(arg)) {
        if (Py_IS_NAN(PyFloat_AS_DOUBLE(arg))) {
            return 0; /* the Python path raises */
        }
        /* float.__repr__: the shortest text that round-trips; "inf" and "-inf" */
        PyObject *text = PyFloat_Type.tp_repr(arg);
        if (text == NULL || keep(p, text) < 0) {
            return -1;
        }
        item->data = (const char *)PyUnicode_DATA(text); /* ASCII, kept alive by p->keep */
        item->size = PyUnicode_GET_LENGTH(text);
    }
    else {
        return 0; /* subclasses, bool, buffers, other types: the Python path */
    }
    /* "$<size>\r\n<data>\r\n" */
    p->total += 1 + digits((unsigned long long)item->size) + 2 + item->size + 2;
    p->count++;
    return 1;
}

/* The arguments of one command (a list or a tuple) added to the plan, with its array
 * header; 1, 0 or -1 as for plan_argument. */
static int
plan_command(plan *p, PyObject *command)
{
    if (!PyTuple_CheckExact(command) && !PyList_CheckExact(command)) {
        return 0;
    }
    Py_ssize_t size = PySequence_Fast_GET_SIZE(command);
    if (size == 0) {
        return 0; /* the Python path sends "*0" too, but keeps that rare case */
    }
    if (p->count + size + 1 > p->capacity) {
        Py_ssize_t capacity = p->capacity * 2;
        if (capacity < p->count + size + 1) {
            capacity = p->count + size + 1;
        }
        piece *grown = PyMem_Realloc(p->pieces, (size_t)capacity * sizeof(piece));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        p->pieces = grown;
        p->capacity = capacity;
    }
    /* the array header: a piece with size -(number of arguments) */
    piece *header = &p->pieces[p->count++];
    header->data = NULL;
    header->size = -size;
    p->total += 1 + digits((unsigned long long)size) + 2;
    PyObject **items = PySequence_Fast_ITEMS(command);
    for (Py_ssize_t i = 0; i < size; i++) {
        int done = plan_argument(p, items[i]);
        if (done != 1) {
            return done;
        }
    }
    return 1;
}

/* The bytes of a complete plan. */
static PyObject *
write_plan(plan *p)
{
    PyObject *result = PyBytes_FromStringAndSize(NULL, p->total);
    if (result == NULL) {
        return NULL;
    }
    char *out = PyBytes_AS_STRING(result);
    for (Py_ssize_t i = 0; i < p->count; i++) {
        piece *item = &p->pieces[i];
        if (item->size < 0) {
            out = write_header(out, '*', -item->size);
            continue;
        }
        out = write_header(out, '$', item->size);
        if (item->data != NULL) {
            memcpy(out, item->data, (size_t)item->size);
            out += item->size;
        }
        else {
            long long number = item->number;
            write_digits_backwards(out + item->size, magnitude(number));
            if (number < 0) {
                *out = '-';
            }
            out += item->size;
        }
        *out++ = '\r';
        *out++ = '\n';
    }
    return result;
}

static void
plan_clear(plan *p)
{
    PyMem_Free(p->pieces);
    Py_XDECREF(p->keep);
}

static int
plan_init(plan *p, Py_ssize_t capacity)
{
    p->count = 0;
    p->total = 0;
    p->keep = NULL;
    p->capacity = capacity < 8 ? 8 : capacity;
    p->pieces = PyMem_Malloc((size_t)p->capacity * sizeof(piece));
    if (p->pieces == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

/* What a call returns once its commands are planned (done as plan_command says): the bytes,
 * None or NULL with an exception set; the plan is cleared. */
static PyObject *
plan_finish(plan *p, int done)
{
    PyObject *result = NULL;
    if (done == 1) {
        result = write_plan(p);
    }
    else if (done == 0) {
        result = Py_NewRef(Py_None);
    }
    plan_clear(p);
    return result;
}

PyDoc_STRVAR(encode_command_doc,
"encode_command(args, /)\n--\n\n"
"The RESP bytes of one command (a tuple or list: its name and arguments), or None when\n"
"an argument is not of the exact type bytes, str (UTF-8), int (64 bits) or float (not NaN).");

static PyObject *
encode_command(PyObject *Py_UNUSED(module), PyObject *args)
{
    plan p;
    Py_ssize_t size = (PyTuple_CheckExact(args) || PyList_CheckExact(args))
        ? PySequence_Fast_GET_SIZE(args) : 0;
    if (plan_init(&p, size + 1) < 0) {
        return NULL;
    }
    return plan_finish(&p, plan_command(&p, args));
}

PyDoc_STRVAR(encode_commands_doc,
"encode_commands(commands, /)\n--\n\n"
"The RESP bytes of a batch (a list or tuple of commands, each a tuple or list), or None\n"
"when any argument is not of the exact type bytes, str (UTF-8), int (64 bits) or float\n"
"(not NaN).");

static PyObject *
encode_commands(PyObject *Py_UNUSED(module), PyObject *commands)
{
    if (!PyTuple_CheckExact(commands) && !PyList_CheckExact(commands)) {
        Py_RETURN_NONE;
    }
    Py_ssize_t count = PySequence_Fast_GET_SIZE(commands);
    PyObject **items = PySequence_Fast_ITEMS(commands);
    plan p;
    Py_ssize_t guess = count * 4;
    if (count > 0) {
        PyObject *first = items[0];
        if (PyTuple_CheckExact(first) || PyList_CheckExact(first)) {
            guess = count * (PySequence_Fast_GET_SIZE(first) + 1);
        }
    }
    if (plan_init(&p, guess) < 0) {
        return NULL;
    }
    int done = 1;
    for (Py_ssize_t i = 0; i < count && done == 1; i++) {
        done = plan_command(&p, items[i]);
    }
    return plan_finish(&p, done);
}

static PyMethodDef methods[] = {
    {"encode_command", encode_command, METH_O, encode_command_doc},
    {"encode_commands", encode_commands, METH_O, encode_commands_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef_Slot slots[] = {
#ifdef Py_mod_multiple_interpreters
    {Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED},
#endif
    {0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "coredis.protocol._speedups",
    .m_doc = "Commands to RESP bytes in C: the optional twin of the encoder's fast paths.",
    .m_size = 0,
    .m_methods = methods,
    .m_slots = slots,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    return PyModuleDef_Init(&module);
}
