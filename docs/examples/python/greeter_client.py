"""Calls the Greeter's SayHello from Python, with grpcio and no generated code.

Usage, from the workshop's root, with a Greeter server running:

    python3 docs/examples/python/greeter_client.py [host:port] [name]

The two messages are small enough to write by hand: HelloRequest and
HelloReply each hold one string in field 1, which protobuf writes as the key
byte 0x0a (field 1 << 3 | wire type 2), the length as a varint, then the
UTF-8 bytes. See docs/protobuf.md.
"""

import sys

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
    """A message whose only field is string field 1: HelloRequest, HelloReply."""
    data = s.encode("utf-8")
    if not data:
        return b""  # proto3 does not send a field holding its zero value
    return b"\x0a" + encode_varint(len(data)) + data


def decode_string_field_1(data):
    """Reads string field 1 and skips any field it does not know."""
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


def main():
    addr = sys.argv[1] if len(sys.argv) > 1 else "localhost:50051"
    name = sys.argv[2] if len(sys.argv) > 2 else "you"
    with grpc.insecure_channel(addr) as channel:
        say_hello = channel.unary_unary(
            "/helloworld.Greeter/SayHello",  # the :path of the call: problem 2
            request_serializer=encode_string_field_1,
            response_deserializer=decode_string_field_1,
        )
        try:
            message = say_hello(name, timeout=5)
        except grpc.RpcError as err:
            print("Greeter client failed: %s: %s" % (err.code().name, err.details()), file=sys.stderr)
            sys.exit(1)
    print("Greeter client received: " + message)


if __name__ == "__main__":
    main()
