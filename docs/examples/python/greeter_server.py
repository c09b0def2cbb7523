"""A Greeter server in Python, with grpcio and no generated code.

Usage, from the workshop's root:

    python3 docs/examples/python/greeter_server.py [host:port]

It listens on host:port (default localhost:50052, so that it can run beside
the Go server on 50051; port 0 picks a free one), answers SayHello with
"Hello, <name>!", refuses an empty name with INVALID_ARGUMENT, and stops on
Ctrl-C or SIGTERM, or, when its stdin is not a terminal, when stdin closes
(how a test stops it on Windows, which has no signals to send). The messages are encoded by hand, as chapter 04's Python client
(04-server/testdata/greeter_client.py) does.
"""

import signal
import sys
import threading
from concurrent import futures

import grpc


def encode_varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def decode_varint(data, i):
    n, shift = 0, 0
    while True:
        if i >= len(data):
            raise ValueError("truncated varint")
        b = data[i]
        i += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return n, i
        shift += 7


def encode_string_field_1(s):
    """HelloReply: one string in field 1 (key byte 0x0a, length, UTF-8)."""
    data = s.encode("utf-8")
    if not data:
        return b""  # proto3 does not send a field holding its zero value
    return b"\x0a" + encode_varint(len(data)) + data


def decode_string_field_1(data):
    """HelloRequest's name, field 1; other fields are skipped."""
    value, i = "", 0
    while i < len(data):
        key, i = decode_varint(data, i)
        field, wire_type = key >> 3, key & 7
        if wire_type == 0:
            _, i = decode_varint(data, i)
        elif wire_type == 1:
            i += 8
        elif wire_type == 2:
            size, i = decode_varint(data, i)
            if field == 1:
                value = data[i:i + size].decode("utf-8")
            i += size
        elif wire_type == 5:
            i += 4
        else:
            raise ValueError("unsupported wire type %d" % wire_type)
    return value


def say_hello(name, context):
    if not name:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "name is empty: send a name")
    return "Hello, %s!" % name


def main():
    addr = sys.argv[1] if len(sys.argv) > 1 else "localhost:50052"
    greeter = grpc.method_handlers_generic_handler("helloworld.Greeter", {
        "SayHello": grpc.unary_unary_rpc_method_handler(
            say_hello,
            request_deserializer=decode_string_field_1,
            response_serializer=encode_string_field_1),
    })
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((greeter,))
    host = addr.rsplit(":", 1)[0]
    port = server.add_insecure_port(addr)
    if port == 0:
        sys.exit("cannot listen on %s: is the port in use?" % addr)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())  # Ctrl-C
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if not sys.stdin.isatty():
        threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    server.start()
    print("Python Greeter server listening on %s:%d" % (host, port), flush=True)
    while not stop.wait(0.5):
        pass
    server.stop(grace=1).wait()  # let the calls in flight finish


if __name__ == "__main__":
    main()
