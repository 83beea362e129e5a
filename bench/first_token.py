#!/usr/bin/env python3
"""Time to the first streamed token of one chat request, for comparing a node reached
directly with the same node behind the gateway.
    bench/first_token.py PORT [MODEL]
"""
import subprocess
import sys
import time

port = sys.argv[1]
model = sys.argv[2] if len(sys.argv) > 2 else "autoglm-sim-8b"
body = ('{"model":"%s","messages":[{"role":"user","content":"hi"}],'
        '"max_tokens":300,"stream":true}' % model)
began = time.time()
curl = subprocess.Popen(["curl", "-s", "-N", f"http://127.0.0.1:{port}/v1/chat/completions",
                         "-d", body], stdout=subprocess.PIPE, text=True)
for line in curl.stdout:
    if '"content":"' in line and '"content":""' not in line:
        print(f"port {port}: first token after {1000 * (time.time() - began):.0f} ms")
        break
curl.kill()
