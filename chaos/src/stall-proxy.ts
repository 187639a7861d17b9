// A TCP proxy between the daemons and the SQS/S3 emulator that can stall: while stalled
// it holds every connection open and delivers no bytes either way (they wait in order),
// as a hung endpoint would, so the daemons' SDK calls hit their timeouts or simply wait.
import { type AddressInfo, connect, createServer, type Server, type Socket } from "node:net";

export interface StallProxy {
  endpoint: string;
  /** Holds every byte (connections stay open) until `resume()`. */
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startStallProxy(target: string): Promise<StallProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  // Bytes that arrived while stalled, with where they go, in arrival order.
  let held: [Socket, Buffer][] = [];
  let stalled = false;

  const forward = (from: Socket, to: Socket) => {
    from.on("data", (chunk: Buffer) => {
      if (stalled) held.push([to, chunk]);
      else if (!to.destroyed) to.write(chunk);
    });
    from.once("end", () => {
      if (stalled) held.push([to, Buffer.alloc(0)]);
      else to.end();
    });
    from.once("close", () => to.destroy());
    from.on("error", () => from.destroy());
  };

  const server: Server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    }
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stall() {
      stalled = true;
    },
    resume() {
      stalled = false;
      const release = held;
      held = [];
      for (const [to, chunk] of release) {
        if (to.destroyed) continue;
        if (chunk.length === 0) to.end();
        else to.write(chunk);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
