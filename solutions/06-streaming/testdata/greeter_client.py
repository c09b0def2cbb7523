"""A client of the Greeter's two streaming methods, in Python, with grpcio and
no generated code.

Usage: python3 greeter_client.py host:port stream NAME
       python3 greeter_client.py host:port bidi NAME [NAME...]

"stream" calls SayHelloStreamReply and prints each reply as it arrives;
"bidi" calls SayHelloBidiStream, sends the names and prints each reply.
HelloRequest and HelloReply each hold one string in field 1, which protobuf
writes as the byte 0x0a (field 1, wire type 2), the length as a varint, then
the UTF-8 bytes.
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


def encode_hello_request(name):
    data = name.encode("utf-8")
    if not data:
        return b""  # proto3 leaves an empty string out
    return b"\x0a" + encode_varint(len(data)) + data


def decode_varint(data, i):
    n, shift = 0, 0
    while True:
        b = data[i]
        i += 1
        n |= (b & 0x7F) << shift
        if b < 0x80:
            return n, i
        shift += 7


def decode_hello_reply(data):
    """Returns the message field; skips fields it does not know."""
    message, i = "", 0
    while i < len(data):
        key, i = decode_varint(data, i)
        field, wire_type = key >> 3, key & 7
        if wire_type == 0:
            _, i = decode_varint(data, i)
        elif wire_type == 2:
            size, i = decode_varint(data, i)
            if field == 1:
                message = data[i : i + size].decode("utf-8")
            i += size
        elif wire_type == 1:
            i += 8
        elif wire_type == 5:
            i += 4
        else:
            raise ValueError("unsupported wire type %d" % wire_type)
    return message


def main():
    if len(sys.argv) < 4 or sys.argv[2] not in ("stream", "bidi"):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        sys.exit(2)
    addr, mode, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    with grpc.insecure_channel(addr) as channel:
        if mode == "stream":
            call = channel.unary_stream(
                "/helloworld.Greeter/SayHelloStreamReply",
                request_serializer=encode_hello_request,
                response_deserializer=decode_hello_reply,
            )
            replies = call(names[0], timeout=10)
        else:
            call = channel.stream_stream(
                "/helloworld.Greeter/SayHelloBidiStream",
                request_serializer=encode_hello_request,
                response_deserializer=decode_hello_reply,
            )
            replies = call(iter(names), timeout=10)
        try:
            for message in replies:
                print("Greeter client received: " + message, flush=True)
        except grpc.RpcError as err:
            print("Greeter client failed: %s: %s" % (err.code(), err.details()), file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
