"""Offices' Word layouts (.docx letterheads): checked on upload, filled when a summary is made.

A layout may hold five placeholders and nothing else: {{ body }} (alone in a paragraph, where
the summary goes), {{ title }}, {{ unit }}, {{ period }} and {{ date }}. docxtpl fills them with
Jinja, but Jinja is a programming language: `{{ lipsum.__globals__.os.popen('…') }}` in a
layout would run shell commands on the server whenever a summary used it. So the layout is
filled by `PlaceholderEnvironment`, which compiles a template only when it is plain text and
those five names (no statements, filters, calls, attribute or index access), on top of Jinja's
immutable sandbox, with autoescaping so a unit name holding “<” or “&” stays text in the XML.
Allowing only the fixed placeholders, rather than a sandboxed Jinja, also shuts out loops
and long computations the sandbox would still run, and is all a letterhead needs.

The file is bounded before python-docx or docxtpl touch it (`weijian.uploads.check_zip`: sizes
as declared, ratios), and the Jinja openers in its XML are counted, because docxtpl's run-
merging regular expressions cost (openers × part length). The same checks run again when a
stored layout is used, so files kept from before these checks are refused the same way.
"""

from __future__ import annotations

import io
import re
import zipfile

from jinja2 import TemplateError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from lxml import etree

from weijian.uploads import MB, Budget, Limits, UploadRefused, check_zip

PLACEHOLDERS = ("body", "title", "unit", "period", "date")
LIMITS = Limits(max_bytes=5 * MB, max_unpacked=40 * MB, max_member=20 * MB, seconds=20)
MAX_XML_PART = 5 * MB  # document.xml, headers, footers: a letterhead's are a few hundred KB
MAX_OPENERS = 100  # “{{”, “{%” and “{#” in one part
ALLOWED = "、".join("{{ " + name + " }}" for name in PLACEHOLDERS)
BODY_RE = re.compile(r"\{\{\s*body\s*\}\}")


class LayoutError(ValueError):
    """A layout that cannot be used; `message` is Chinese, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PlaceholderEnvironment(ImmutableSandboxedEnvironment):
    """Jinja that compiles only text and the fixed placeholders (see the module docstring).
    docxtpl compiles every part it fills (body, headers, footers, footnotes, document
    properties) through `from_string`, so each passes this check."""

    def __init__(self) -> None:
        super().__init__(autoescape=True)

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 (Jinja's name)
        tree = self.parse(source) if isinstance(source, str) else source
        refuse_beyond_placeholders(tree)
        return super().from_string(tree, globals, template_class)


def refuse_beyond_placeholders(tree: nodes.Template) -> None:
    for output in tree.body:
        if not isinstance(output, nodes.Output):
            raise LayoutError(_not_allowed(_describe(output)))
        for node in output.nodes:
            if isinstance(node, nodes.TemplateData):
                continue
            if isinstance(node, nodes.Name) and node.name in PLACEHOLDERS:
                continue
            raise LayoutError(_not_allowed(_describe(node)))


def _describe(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return f"未知占位符 {{{{ {node.name} }}}}"
    if isinstance(node, nodes.Getattr | nodes.Getitem):
        return "属性或下标访问（如 {{ unit.name }}、{{ unit[0] }}）"
    if isinstance(node, nodes.Filter):
        return f"过滤器“|{node.name}”"
    if isinstance(node, nodes.Call):
        return "函数调用"
    if isinstance(node, nodes.Stmt):
        return f"语句 {{% {type(node).__name__.lower()} … %}}"
    return "表达式"


def _not_allowed(what: str) -> str:
    return (
        f"版式文件中有不允许的内容：{what}。版式中只能使用占位符 {ALLOWED}，"
        "不能使用其他模板语法；请删除后重新上传"
    )


def check(data: bytes) -> None:
    """Refuse (LayoutError, Chinese) a layout that is oversized, not a .docx, malformed, lacks
    {{ body }}, or uses anything beyond the fixed placeholders. Fills it once to be sure."""
    budget = Budget(LIMITS.seconds, "版式文件")
    document = _open(data)
    text = "\n".join(p.text for p in document.paragraphs)
    if not BODY_RE.search(text):
        raise LayoutError("版式文件中缺少正文占位符 {{ body }}（请单独占一段）")
    budget.check()
    fill(data, dict.fromkeys(PLACEHOLDERS, "占位"))
    budget.check()


def fill(data: bytes, context: dict[str, str]) -> bytes:
    """The layout with its placeholders filled (escaped as text), as .docx bytes."""
    from docxtpl import DocxTemplate

    _open(data)
    try:
        template = DocxTemplate(io.BytesIO(data))
        template.render(context, jinja_env=PlaceholderEnvironment(), autoescape=True)
        out = io.BytesIO()
        template.save(out)
    except LayoutError:
        raise
    except TemplateError as exc:
        raise LayoutError(
            f"版式文件中的占位符有误（{exc.message or exc}），可用的占位符：{ALLOWED}"
        ) from None
    except (etree.XMLSyntaxError, ValueError, KeyError, zipfile.BadZipFile):
        raise LayoutError(
            "版式文件内容已损坏（XML 格式错误），请在 Word 或 WPS 中重新保存后上传"
        ) from None
    return out.getvalue()


def _open(data: bytes):
    """python-docx's Document, after the archive and its XML parts are bounded."""
    from docx import Document as open_docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        names = check_zip(data, LIMITS, what="版式文件", kind=" Word（.docx）文件")
    except UploadRefused as exc:
        raise LayoutError(exc.message) from None
    if "word/document.xml" not in names:
        raise LayoutError("上传的文件不是有效的 Word 文档（.docx）")
    _bound_xml_parts(data, names)
    try:
        return open_docx(io.BytesIO(data))
    except etree.XMLSyntaxError:
        raise LayoutError(
            "版式文件内容已损坏（XML 格式错误），请在 Word 或 WPS 中打开并另存为 .docx 后上传"
        ) from None
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError):
        raise LayoutError("上传的文件不是有效的 Word 文档（.docx）") from None


def _bound_xml_parts(data: bytes, names: set[str]) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in sorted(names):
            if not (name.endswith(".xml") and name.startswith(("word/", "docProps/"))):
                continue
            info = archive.getinfo(name)
            if info.file_size > MAX_XML_PART:
                raise LayoutError(
                    f"版式文件中的“{name}”过大（{info.file_size / MB:.1f} MB），不是正常的版式文件"
                )
            content = archive.read(info)
            if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
                # Word never writes a DTD; entities are how XML parsers are made to read files
                raise LayoutError(f"版式文件中的“{name}”含有文档类型声明，不是正常的 Word 文件")
            openers = sum(content.count(mark) for mark in (b"{{", b"{%", b"{#"))
            if openers > MAX_OPENERS:
                raise LayoutError(
                    f"版式文件中的花括号占位符过多（{openers} 处），版式中只能使用 {ALLOWED}"
                )
