from pathlib import Path

# fontconfig file mapping official-document fonts to Noto CJK, for server-side PDF rendering
FONTCONFIG = Path(__file__).parent / "fontconfig" / "fonts.conf"
