"""A Greeter server in Python that serves the two streaming methods, with
grpcio and no generated code.

Usage: python3 greeter_server.py

It listens on 127.0.0.1 on a free port, prints the port on stdout, and
serves until its stdin is closed. SayHelloStreamReply greets the name in
eight languages, one reply each; SayHelloBidiStream answers each name with
"Hello, <name>!". An empty name ends either stream with INVALID_ARGUMENT.
"""

import sys
from concurrent import futures

import grpc

GREETINGS = ["Hello", "Bonjour", "Hola", "Hallo", "Ciao", "Olá", "Привет", "你好"]


def read_varint(data, i):
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
                name = data[i : i + length].decode("utf-8")
            i += length
        elif wire_type == 5:
            i += 4
        else:
            raise ValueError("unsupported wire type %d" % wire_type)
    return name


def encode_varint(n):
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def encode_hello_reply(message):
    data = message.encode("utf-8")
    return b"\x0a" + encode_varint(len(data)) + data


def check_name(name, context):
    if not name:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "name is empty")


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
    handlers = {
        "SayHelloStreamReply": grpc.unary_stream_rpc_method_handler(
            say_hello_stream_reply,
            request_deserializer=decode_hello_request,
            response_serializer=encode_hello_reply,
        ),
        "SayHelloBidiStream": grpc.stream_stream_rpc_method_handler(
            say_hello_bidi_stream,
            request_deserializer=decode_hello_request,
            response_serializer=encode_hello_reply,
        ),
    }
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    server.add_generic_rpc_handlers((grpc.method_handlers_generic_handler("helloworld.Greeter", handlers),))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    sys.stdin.read()  # serve until the test closes our stdin
    server.stop(grace=1)


if __name__ == "__main__":
    main()
