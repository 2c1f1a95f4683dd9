"""Forms on A4: layout descriptions (JSON) → PDF, and PDF pages → preview images."""
