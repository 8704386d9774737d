"""A bare Flask "hello" app: the ceiling the content pages are compared with.

content_bench.py serves it under the same gunicorn settings and load tool as
the real site, in the same run, so the ratio content/hello says how much of
the server's capacity our own code uses, whatever the machine.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, world!"
