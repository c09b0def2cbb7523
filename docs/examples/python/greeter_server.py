"""A Greeter server in Python, with grpcio and no generated code.

Usage, from the workshop's root:

    python3 docs/examples/python/greeter_server.py [--exit-on-stdin-close] [host:port]

It listens on host:port (default localhost:50052, so that it can run beside
the Go server on 50051; port 0 picks a free one) and prints
"Python Greeter server listening on host:port" with the port it got. It
serves the Greeter's three methods:

- SayHello answers "Hello, <name>!" and echoes the x-request-id metadata in
  its response header, like the chapter 04 server;
- SayHelloStreamReply greets the name in eight languages, one reply each;
- SayHelloBidiStream answers each name it receives with "Hello, <name>!".

An empty name gets INVALID_ARGUMENT, on every method. It stops on Ctrl-C or
SIGTERM, and with --exit-on-stdin-close also when its stdin closes: that is
how the tests of chapters 05 and 06 stop it, on Windows too, which has no
signals to send, and why it never outlives a test that is killed.

HelloRequest and HelloReply each hold one string in field 1, which on the
wire is the byte 0x0a (field 1, wire type 2 = length-delimited), the length
as a varint, then the UTF-8 bytes. The messages are encoded by hand, as
chapter 04's Python client (04-server/testdata/greeter_client.py) does.
"""

import argparse
import signal
import sys
import threading
from concurrent import futures

import grpc

GREETINGS = ["Hello", "Bonjour", "Hola", "Hallo", "Ciao", "Olá", "Привет", "你好"]


def read_varint(data, i):
    """Returns the varint at data[i:] and the index after it."""
    value, shift = 0, 0
    while True:
        if i >= len(data):
            raise ValueError("truncated varint")
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, i
        shift += 7
        if shift >= 64:
            raise ValueError("varint longer than 10 bytes")


def decode_hello_request(data):
    """Returns the name (field 1) of a HelloRequest; skips other fields."""
    name, i = "", 0
    while i < len(data):
        key, i = read_varint(data, i)
        field, wire_type = key >> 3, key & 7
        if wire_type == 0:
            _, i = read_varint(data, i)
        elif wire_type == 1:
            i += 8
        elif wire_type == 2:
            length, i = read_varint(data, i)
            if i + length > len(data):
                raise ValueError("truncated field %d" % field)
            if field == 1:
                name = data[i:i + length].decode("utf-8")
            i += length
        elif wire_type == 5:
            i += 4
        else:
            raise ValueError("unsupported wire type %d" % wire_type)
    if i > len(data):
        raise ValueError("truncated message")
    return name


def encode_varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def encode_hello_reply(message):
    """Returns a HelloReply with message in field 1."""
    if not message:
        return b""  # proto3 leaves a field with its default value out
    raw = message.encode("utf-8")
    return b"\x0a" + encode_varint(len(raw)) + raw


def check_name(name, context):
    if not name:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                      "name is empty (said the Python server): send a name")


def say_hello(name, context):
    for key, value in context.invocation_metadata():
        if key == "x-request-id":
            context.send_initial_metadata((("x-request-id", value),))
            break
    check_name(name, context)
    return "Hello, %s!" % name


def say_hello_stream_reply(name, context):
    check_name(name, context)
    for greeting in GREETINGS:
        if not context.is_active():
            return
        yield "%s, %s!" % (greeting, name)


def say_hello_bidi_stream(names, context):
    for name in names:
        check_name(name, context)
        yield "Hello, %s!" % name


def main():
    parser = argparse.ArgumentParser(description="A Greeter server in Python.")
    parser.add_argument("addr", nargs="?", default="localhost:50052",
                        help="host:port to listen on; port 0 picks a free one (default %(default)s)")
    parser.add_argument("--exit-on-stdin-close", action="store_true",
                        help="also stop when stdin closes (how a test stops it)")
    args = parser.parse_args()

    def handler(kind, method):
        return kind(method, request_deserializer=decode_hello_request,
                    response_serializer=encode_hello_reply)

    greeter = grpc.method_handlers_generic_handler("helloworld.Greeter", {
        "SayHello": handler(grpc.unary_unary_rpc_method_handler, say_hello),
        "SayHelloStreamReply": handler(grpc.unary_stream_rpc_method_handler, say_hello_stream_reply),
        "SayHelloBidiStream": handler(grpc.stream_stream_rpc_method_handler, say_hello_bidi_stream),
    })
    # A stream holds a worker for as long as it is open. Without
    # so_reuseport 0, grpcio would share a port that another server holds.
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8),
                         options=[("grpc.so_reuseport", 0)])
    server.add_generic_rpc_handlers((greeter,))
    host = args.addr.rsplit(":", 1)[0]
    try:
        port = server.add_insecure_port(args.addr)
    except RuntimeError:  # newer grpcio raises where older ones return 0
        port = 0
    if port == 0:
        sys.exit("cannot listen on %s: is the port in use?" % args.addr)

    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())  # Ctrl-C
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if args.exit_on_stdin_close:
        threading.Thread(target=lambda: (sys.stdin.read(), stop.set()), daemon=True).start()
    server.start()
    print("Python Greeter server listening on %s:%d" % (host, port), flush=True)
    while not stop.wait(0.5):
        pass
    server.stop(grace=1).wait()  # let the calls in flight finish


if __name__ == "__main__":
    main()
