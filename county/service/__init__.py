"""`kiosk county serve`: the county service (PostgreSQL, Starlette, uvicorn)."""
