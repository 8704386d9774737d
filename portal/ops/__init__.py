"""For operators and search engines: health, robots.txt, sitemap."""

from flask import Blueprint, Response, jsonify, render_template, url_for

from ..content.web import snapshot

bp = Blueprint("ops", __name__)


@bp.get("/healthz")
def healthz():
    """Say the worker is up and which content it serves (no personal data)."""
    content = snapshot()
    return jsonify(
        status="ok",
        content={
            "loaded_at": content.loaded_at.isoformat(),
            "files": content.files,
            "pages": len(content.pages),
            "errors": len(content.errors),
            "warnings": len(content.warnings),
        },
    ), 200, {"Cache-Control": "no-store"}


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *", "Disallow: /staff/",
             f"Sitemap: {url_for('ops.sitemap', _external=True)}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap():
    content = snapshot()
    default = content.default_language
    keys = sorted({(section, page_id) for (lang, section, page_id) in content.pages
                   if lang == default})
    urls = [
        {"section": section, "page_id": page_id,
         "languages": list(content.translations(section, page_id)),
         "updated": content.pages[(default, section, page_id)].updated}
        for section, page_id in keys
    ]
    body = render_template("ops/sitemap.xml", urls=urls, languages=content.site.languages)
    return Response(body, mimetype="application/xml")
