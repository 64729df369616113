"""The frame of every H5 page: one inline stylesheet for phones, escaping, money as ¥, and the
QR code drawn as an inline SVG (so no page loads anything from elsewhere)."""

from __future__ import annotations

import secrets
from html import escape

import qrcode
from fastapi.responses import HTMLResponse

from mall.web_guards import page_csp
from pos_app.domain.money import format_fen

STYLE = """
*{box-sizing:border-box}body{margin:0;font:16px/1.5 -apple-system,"PingFang SC","Noto Sans CJK SC",
"Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1f2329}
header{background:#07c160;color:#fff;padding:14px 16px;font-size:18px;font-weight:600}
main{max-width:480px;margin:0 auto;padding:12px}
.card{background:#fff;border-radius:12px;padding:16px;margin-bottom:12px;
box-shadow:0 1px 2px rgba(0,0,0,.06)}
h1{font-size:20px;margin:0 0 8px}h2{font-size:16px;margin:0 0 8px;color:#646a73}
.muted{color:#8f959e;font-size:14px}.big{font-size:32px;font-weight:700}
.row{display:flex;justify-content:space-between;gap:8px;padding:4px 0}
.row span:last-child{white-space:nowrap}.total{border-top:1px dashed #dee0e3;margin-top:6px;
padding-top:8px;font-weight:600}
.banner{border-radius:10px;padding:12px 14px;margin-bottom:12px;font-weight:600}
.ok{background:#e8f8ef;color:#067a3e}.wait{background:#fff7e6;color:#ad6800}
.bad{background:#fff1f0;color:#c41d1d}
label{display:block;font-size:14px;color:#646a73;margin:8px 0 4px}
input{width:100%;font-size:18px;padding:10px 12px;border:1px solid #dee0e3;border-radius:8px}
button,.button{display:block;width:100%;margin-top:12px;padding:12px;font-size:17px;
font-weight:600;border:0;border-radius:8px;background:#07c160;color:#fff;text-align:center;
text-decoration:none}
button.secondary,.button.secondary{background:#f0f1f3;color:#1f2329}
button[disabled]{background:#c9cdd4}
.qr{width:220px;height:220px;margin:8px auto;display:block}
.digits{text-align:center;font:600 20px/1.4 ui-monospace,Menlo,monospace;letter-spacing:1px}
.stats{display:flex;gap:12px}.stats>div{flex:1;text-align:center}
table{width:100%;border-collapse:collapse;font-size:14px}td{padding:6px 0;
border-bottom:1px solid #f0f1f3}td:last-child{text-align:right}
.plus{color:#067a3e}.minus{color:#c41d1d}.tag{display:inline-block;background:#e8f8ef;
color:#067a3e;border-radius:4px;padding:0 6px;font-size:13px;margin-left:6px}
a{color:#07c160}
.nav{display:flex;justify-content:space-around;background:#fff;border-radius:12px;padding:10px;
margin-bottom:12px;font-size:15px}.nav a{text-decoration:none;color:#646a73}.nav a.on{color:#07c160;
font-weight:600}
.item{display:flex;justify-content:space-between;align-items:center;gap:8px;padding:10px 0;
border-bottom:1px solid #f0f1f3}.item a{color:#1f2329;text-decoration:none;font-weight:600}
.item>span{white-space:nowrap}form.inline{margin:0}
button.mini{display:inline-block;width:auto;margin:0;padding:6px 12px;
font-size:14px;white-space:nowrap}
select{width:100%;font-size:16px;padding:10px;border:1px solid #dee0e3;border-radius:8px;
background:#fff}
.chips{display:flex;flex-wrap:wrap;gap:8px}.chips a{background:#f0f1f3;border-radius:14px;
padding:4px 12px;color:#1f2329;text-decoration:none;font-size:14px}
.code{text-align:center;font:700 28px/1.4 ui-monospace,Menlo,monospace;letter-spacing:4px}
"""


def yuan(fen: int) -> str:
    return escape(format_fen(fen))


def html_page(title: str, body: str, *, status: int = 200, script: str = "") -> HTMLResponse:
    """A whole page: body is trusted HTML built with esc(); script is inline JavaScript, the
    only script the page's Content-Security-Policy lets run (by its nonce)."""
    nonce = secrets.token_urlsafe(16)
    scripts = f"<script nonce='{nonce}'>{script}</script>" if script else ""
    return HTMLResponse(
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
        f"<body><header>门店通商城</header><main>{body}</main>{scripts}</body></html>",
        status_code=status,
        headers={"Cache-Control": "no-store", "Content-Security-Policy": page_csp(nonce)},
    )


def banner(kind: str, text: str) -> str:
    """A coloured status line: kind is ok, wait or bad."""
    return f"<div class='banner {kind}' id='status'>{escape(text)}</div>"


def qr_svg(data: str) -> str:
    """The QR code of data as an inline SVG (error correction M, a two-module quiet zone)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(data)
    code.make(fit=True)
    matrix = code.get_matrix()
    path = "".join(
        f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    )
    size = len(matrix)
    return (
        f"<svg class='qr' viewBox='0 0 {size} {size}' xmlns='http://www.w3.org/2000/svg' "
        f"shape-rendering='crispEdges'><rect width='{size}' height='{size}' fill='#fff'/>"
        f"<path d='{path}' fill='#000'/></svg>"
    )
