"""Certificates made at test time with trustme."""

from __future__ import annotations

import os
import ssl
from dataclasses import dataclass


@dataclass(frozen=True)
class TLSFiles:
    """PEM files of a throwaway CA and a server certificate for ``127.0.0.1``/``localhost``.

    ``client_cert_file``/``client_key_file`` hold a client certificate signed by the same CA,
    for tests of mutual TLS (the servers accept clients without a certificate too).
    """

    ca_file: str
    cert_file: str
    key_file: str
    client_cert_file: str | None = None
    client_key_file: str | None = None

    def client_ssl_context(self, *, with_client_cert: bool = False) -> ssl.SSLContext:
        """A client context that verifies the server against this CA (hostname included)."""
        context = ssl.create_default_context(ssl.Purpose.SERVER_AUTH, cafile=self.ca_file)
        if with_client_cert:
            if self.client_cert_file is None:
                raise ValueError("these TLS files have no client certificate")
            context.load_cert_chain(self.client_cert_file, self.client_key_file)
        return context


def make_tls_files(directory: str) -> TLSFiles:
    """Create a CA, a server certificate and a client certificate as PEM files in ``directory``."""
    import trustme

    ca = trustme.CA()
    server = ca.issue_cert("127.0.0.1", "localhost")
    client = ca.issue_cert("coredis-client@example.com")
    paths = {
        name: os.path.join(directory, name)
        for name in ("ca.pem", "server.crt", "server.key", "client.crt", "client.key")
    }
    ca.cert_pem.write_to_path(paths["ca.pem"])
    server.private_key_pem.write_to_path(paths["server.key"])
    # Chain = leaf first, then any intermediates.
    for index, blob in enumerate(server.cert_chain_pems):
        blob.write_to_path(paths["server.crt"], append=index > 0)
    client.private_key_pem.write_to_path(paths["client.key"])
    for index, blob in enumerate(client.cert_chain_pems):
        blob.write_to_path(paths["client.crt"], append=index > 0)
    return TLSFiles(
        ca_file=paths["ca.pem"],
        cert_file=paths["server.crt"],
        key_file=paths["server.key"],
        client_cert_file=paths["client.crt"],
        client_key_file=paths["client.key"],
    )
