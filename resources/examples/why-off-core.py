import hashlib, queue, socket, threading
data = bytes(16 * 1024 * 1024)
server = socket.socket(); server.bind(("127.0.0.1", 0)); server.listen()
client = socket.create_connection(server.getsockname()); peer, _ = server.accept()
q = queue.Queue()
def spin(n):
    x = 0
    for i in range(n): x += i
def digest(rounds):
    for _ in range(rounds): hashlib.sha256(data).hexdigest()
def get(): q.get()
def recv(): client.recv(10)
ts = [threading.Thread(target=spin, args=(2_000_000,)), threading.Thread(target=spin, args=(2_000_000,)),
      threading.Thread(target=digest, args=(3,)), threading.Thread(target=get), threading.Thread(target=recv)]
for t in ts: t.start()
ts[0].join(); ts[1].join(); ts[2].join()
q.put(1); peer.send(b"x")
for t in ts: t.join()
