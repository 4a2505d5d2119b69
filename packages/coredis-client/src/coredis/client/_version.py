# coredis-client's own release number (read by hatch; also coredis.client.__version__).
__version__ = "0.1.0"

# The API level: the coredis 4.x API this release implements, exposed as coredis.__version__
# (what libraries built on coredis compare against). It equals the version of the metadata-only
# `coredis` distribution (packages/coredis), and lives here so that it is the same however the
# distributions were installed. When each number changes: docs/handbook/versioning.rst.
API_VERSION = "4.5.7"
