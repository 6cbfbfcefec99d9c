'use strict';
// The baseline: a bare node:http server answering fixed JSON bodies (the broker's own answers, captured
// by the bench) with the same status, on 127.0.0.1. No framework, no auth, no database.
// argv[2]: a JSON file { "<path without query>": { "status": 200, "body": "<json text>" } }.

const http = require('node:http');
const { readFileSync } = require('node:fs');

const routes = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const server = http.createServer((req, res) => {
  const route = routes[req.url.split('?')[0]];
  // Drain the request body like a real server would before answering.
  req.resume();
  req.on('end', () => {
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{}');
      return;
    }
    res.writeHead(route.status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(route.body);
  });
});
server.keepAliveTimeout = 5000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
