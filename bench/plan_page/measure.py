"""Weighs and times the plan's pages in headless Chromium over WebDriver (stdlib only).

Signs in as the prosecutor, opens the newest plan's summary, its biggest route (most stops)
and its first left-out page, 5 times each, and prints the HTML size, the counts of forms and
options, and the median domInteractive and load event times from Navigation Timing.
"""
import json
import re
import statistics
import sys
import time
import urllib.request

app, driver, work = sys.argv[1], sys.argv[2], sys.argv[3]


def call(method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(driver + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)["value"]


caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
    "binary": "/usr/bin/chromium",
    "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--window-size=1280,800", f"--user-data-dir={work}/chrome"]}}}}
session = call("POST", "/session", caps)["sessionId"]
s = f"/session/{session}"


def js(script):
    return call("POST", s + "/execute/sync", {"script": script, "args": []})


def goto(url):
    call("POST", s + "/url", {"url": url})


try:
    goto(app + "/login")
    js("document.getElementById('login').value='prosecutor';"
       "document.getElementById('password').value='baqylau-demo';"
       "document.querySelector('form[action=\"/login\"]').submit(); return 1;")
    for _ in range(200):
        if js("return document.readyState === 'complete' && location.pathname !== '/login';"):
            break
        time.sleep(0.1)
    goto(app + "/planning")
    plan = js("const a=document.querySelector('a[href^=\"/planning/plans/\"]'); return a.href;")
    goto(plan)
    routes = js("return Array.from(document.querySelectorAll('a.route-link'), a => "
                "[a.href, parseInt(a.textContent)]);")
    biggest = max(routes, key=lambda r: r[1])[0]
    pages = [("summary", plan), (f"route ({max(r[1] for r in routes)} stops)", biggest),
             ("left-out, page 1", plan + "/left-out")]
    print(f"{'page':<26} {'HTML KB':>8} {'forms':>6} {'options':>8} {'interactive ms':>15} {'load ms':>8}")
    for name, url in pages:
        inter, load = [], []
        for _ in range(5):
            goto(url)
            t = js("const n=performance.getEntriesByType('navigation')[0];"
                   "return [n.domInteractive, n.loadEventEnd, document.documentElement.outerHTML.length,"
                   "document.forms.length, document.querySelectorAll('option').length];")
            inter.append(t[0])
            load.append(t[1])
        size_kb = t[2] / 1024
        print(f"{name:<26} {size_kb:>8.1f} {t[3]:>6} {t[4]:>8} {statistics.median(inter):>15.0f} "
              f"{statistics.median(load):>8.0f}")
finally:
    call("DELETE", s)
