"""A Greeter server in Python, with grpcio and no generated code.

Usage, from the workshop's root:

    python3 docs/examples/python/greeter_server.py [host:port]

It listens on host:port (default localhost:50052, so that it can run beside
the Go server on 50051; port 0 picks a free one), answers SayHello with
"Hello, <name>!", refuses an empty name with INVALID_ARGUMENT, and stops on
Ctrl-C. The messages are encoded by hand, as in greeter_client.py.
"""

import signal
import sys
import threading
from concurrent import futures

import grpc

from greeter_client import decode_string_field_1, encode_string_field_1


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
    server.start()
    print("Python Greeter server listening on %s:%d" % (host, port), flush=True)
    while not stop.wait(0.5):
        pass
    server.stop(grace=1).wait()  # let the calls in flight finish


if __name__ == "__main__":
    main()
