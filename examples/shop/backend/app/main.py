"""The shop API: a health check, a small catalog, and the built frontend when it is present."""

import os
from pathlib import Path

from fastapi import FastAPI, HTTPException
from fastapi.responses import FileResponse

VERSION = "1.0.0"

ITEMS = [
    {"id": 1, "name": "Coffee mug", "price": 12.5},
    {"id": 2, "name": "Notebook", "price": 4.0},
    {"id": 3, "name": "Sticker pack", "price": 3.25},
]

app = FastAPI(title="shop", version=VERSION)


@app.get("/api/health")
def health() -> dict:
    return {"status": "ok", "service": "shop", "version": VERSION}


@app.get("/api/items")
def items() -> list[dict]:
    return ITEMS


def frontend_dist() -> Path | None:
    """The built frontend: FRONTEND_DIST, else ../frontend/dist or ./frontend/dist beside the backend."""
    configured = os.environ.get("FRONTEND_DIST")
    backend_dir = Path(__file__).resolve().parent.parent
    candidates = (
        [Path(configured)]
        if configured
        else [backend_dir.parent / "frontend" / "dist", backend_dir / "frontend" / "dist"]
    )
    for candidate in candidates:
        if (candidate / "index.html").is_file():
            return candidate.resolve()
    return None


DIST = frontend_dist()

if DIST is not None:

    @app.get("/{path:path}", include_in_schema=False)
    def spa(path: str) -> FileResponse:
        """Serves a built file when it exists, otherwise index.html so client-side routes work."""
        if path.startswith("api/"):
            raise HTTPException(status_code=404, detail="Not Found")
        target = (DIST / path).resolve()
        if path and target.is_relative_to(DIST) and target.is_file():
            return FileResponse(target)
        return FileResponse(DIST / "index.html")
