"""A Greeter server in Python, for the cross-language test of chapter 05.

It needs grpcio and nothing else: no protoc, no generated code. The two
messages are small enough to encode by hand. HelloRequest and HelloReply
each hold one string in field 1, which on the wire is the byte 0x0a (field
1, wire type 2 = length-delimited), the length as a varint, then the UTF-8
bytes.

It listens on 127.0.0.1 on a free port, prints the port on stdout, and
serves until its stdin is closed. It answers "Hello, <name>!", refuses an
empty name with INVALID_ARGUMENT, and echoes the x-request-id metadata in
its response header, like the chapter 04 server.
"""

import sys
from concurrent import futures

import grpc


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


def say_hello(name, context):
    for key, value in context.invocation_metadata():
        if key == "x-request-id":
            context.send_initial_metadata((("x-request-id", value),))
            break
    if not name:
        context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                      "name is empty (said the Python server): send a name")
    return "Hello, %s!" % name


def main():
    handler = grpc.method_handlers_generic_handler("helloworld.Greeter", {
        "SayHello": grpc.unary_unary_rpc_method_handler(
            say_hello,
            request_deserializer=decode_hello_request,
            response_serializer=encode_hello_reply),
    })
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    server.add_generic_rpc_handlers((handler,))
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)

    sys.stdin.read()  # returns when the test closes stdin, or dies
    server.stop(None)


if __name__ == "__main__":
    main()
