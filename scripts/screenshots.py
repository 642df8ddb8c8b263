#!/usr/bin/env python3
"""Screenshots of Entente's main pages, for the docs: drives headless Chromium through
chromedriver's WebDriver protocol (standard library only).

    entente serve --demo --listen 18600 > serve.out &
    scripts/screenshots.py http://127.0.0.1:18600 serve.out docs/screenshots
"""
import base64, json, os, re, socket, subprocess, sys, time, urllib.request

base, accounts_file, out = sys.argv[1], sys.argv[2], sys.argv[3]
accounts = dict(re.findall(r"^\s+\S+\s+(\S+@demo\.invalid)\s+(\S+)$", open(accounts_file).read(), re.M))
os.makedirs(out, exist_ok=True)

with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
driver = subprocess.Popen(["chromedriver", f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(req).read())["value"]

for _ in range(100):
    try: urllib.request.urlopen(f"http://127.0.0.1:{port}/status"); break
    except OSError: time.sleep(0.05)
session = call("POST", "/session", {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {
    "binary": "/usr/bin/chromium", "args": ["--headless=new", "--no-sandbox", "--window-size=1280,1000", "--hide-scrollbars"]}}}})["sessionId"]
S = f"/session/{session}"
def go(path): call("POST", f"{S}/url", {"url": base + path})
def find(css): return list(call("POST", f"{S}/element", {"using": "css selector", "value": css}).values())[0]
def shot(name):
    png = base64.b64decode(call("GET", f"{S}/screenshot"))
    open(os.path.join(out, name + ".png"), "wb").write(png); print(name)
def sign_in(email):
    go("/sign-in")
    call("POST", f"{S}/element/{find('#email')}/value", {"text": email})
    call("POST", f"{S}/element/{find('#password')}/value", {"text": accounts[email]})
    call("POST", f"{S}/element/{find('main form button[type=submit]')}/click", {})
def sign_out():
    call("POST", f"{S}/element/{find('.who form button[type=submit]')}/click", {})

try:
    for name, path in [("home", "/?at=2009-01-01"), ("nations-fr", "/nations?lang=fr"), ("nations-suede", "/nations?q=suede&lang=en"),
                       ("frameworks", "/frameworks"), ("framework-pfp", "/frameworks/PFP?at=2009-01-01&sort=since"),
                       ("nation-mt", "/nations/MT"), ("changes", "/registry/changes?from=2023-12-31&to=2024-12-31"),
                       ("design", "/design"), ("api", "/api")]:
        go(path); shot(name)
    sign_in("staff@demo.invalid")
    go("/registry/proposals")
    for field, text in [("#p-nation", "MT"), ("#p-framework", "PFP"), ("#p-reason", "Letter of withdrawal"), ("#p-source", "https://www.nato.int/")]:
        call("POST", f"{S}/element/{find(field)}/value", {"text": text})
    call("POST", f"{S}/execute/sync", {"script": "document.getElementById('p-day').value='2030-01-01'", "args": []})
    call("POST", f"{S}/element/{find('#propose-form button[type=submit]')}/click", {})
    time.sleep(0.3); shot("proposal-made")
    go("/documents?sort=title"); shot("documents")
    go("/documents/1"); shot("document")
    sign_out(); sign_in("approver@demo.invalid")
    go("/registry/proposals/1"); shot("proposal-to-approve")
    sign_out(); sign_in("admin@demo.invalid")
    go("/audit"); shot("audit")
finally:
    call("DELETE", S); driver.terminate()
