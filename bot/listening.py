"""The server's sockets, bound before anything else starts: a second copy of the app that cannot
listen (its port is taken) stops before its reminder loop or mail worker can send anything."""

import socket


def listening_sockets(host: str, port: int) -> list[socket.socket]:
    """One listening socket per address `host` resolves to ("localhost": 127.0.0.1 and ::1, as
    aiohttp would bind); OSError, with nothing left open, when any cannot be bound."""
    sockets: list[socket.socket] = []
    seen: set[tuple[int, tuple]] = set()
    try:
        for family, kind, proto, _, address in socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        ):
            if (family, address) in seen:
                continue
            seen.add((family, address))
            listener = socket.socket(family, kind, proto)
            sockets.append(listener)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                listener.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            listener.bind(address)
            listener.listen(128)
    except OSError:
        for listener in sockets:
            listener.close()
        raise
    return sockets
