/** (a) The machine's ceiling: a bare Node HTTP server answering a fixed JSON body. */
import http from 'node:http';

const body = JSON.stringify({ ok: true, minutes: 60, streak: 3 });
const server = http.createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`READY ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
