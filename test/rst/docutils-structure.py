"""The structure docutils finds in reStructuredText files, as JSON, for
test/rst-vs-docutils.test.ts: section titles and levels, lists and their
item counts, tables with their cells' text, literal blocks, admonitions and
named targets, in document order. Usage: python3 docutils-structure.py FILE..."""
import json
import re
import sys

from docutils import nodes
from docutils.core import publish_doctree

SETTINGS = {
    "doctitle_xform": False,
    "sectsubtitle_xform": False,
    "report_level": 5,
    "halt_level": 5,
    "file_insertion_enabled": False,
    "raw_enabled": True,
    "syntax_highlight": "none",
}


def text(node):
    # Section numbers (sectnum) are generated: the reader adds them when it renders.
    parts = []
    for child in node.traverse(nodes.Text):
        if any(isinstance(a, nodes.generated) for a in parents(child)):
            continue
        problem = next((a for a in parents(child) if isinstance(a, nodes.problematic)), None)
        if problem is not None:
            # A reference to a target of another file of the document (this script reads files alone): its text.
            parts.append(re.sub(r"^`?(.*?)(?:\s*<[^<>]*>)?`?__?$", r"\1", child.astext(), flags=re.S))
        else:
            parts.append(child.astext())
    return " ".join("".join(parts).split())


def cell_text(entry):
    # Paragraphs of a cell are joined with a space (astext() joins them with none).
    return " ".join(t for t in (text(n) for n in entry.traverse(lambda n: isinstance(n, (nodes.paragraph, nodes.literal_block, nodes.term)))) if t)


def parents(node):
    p = node.parent
    while p is not None:
        yield p
        p = p.parent


def walk(node, level, out):
    for child in node.children:
        if isinstance(child, nodes.section):
            out.append(["section", level + 1, text(child[0])])
            walk(child, level + 1, out)
        elif isinstance(child, nodes.topic) and "contents" in child["classes"]:
            out.append(["contents"])
        elif isinstance(child, nodes.table):
            rows = []
            for row in child.traverse(nodes.row):
                rows.append([cell_text(entry) for entry in row.children])
            out.append(["table", rows])
        elif isinstance(child, (nodes.bullet_list, nodes.enumerated_list, nodes.definition_list, nodes.field_list)):
            out.append([child.tagname, len(child.children)])
            walk(child, level, out)
        elif isinstance(child, nodes.literal_block):
            out.append(["literal_block", child.astext().rstrip()])
        elif isinstance(child, nodes.Admonition) or isinstance(child, nodes.topic):
            out.append(["admonition", child.tagname if child.tagname != "admonition" else "admonition"])
            walk(child, level, out)
        elif isinstance(child, nodes.target) and not child.get("anonymous") and (child.get("ids") or child.get("refid")):
            # A target before an element gives it its id (PropagateTargets) and keeps only a `refid`.
            out.append(["target", child["ids"][0] if child.get("ids") else child["refid"]])
        elif isinstance(child, nodes.paragraph):
            out.append(["paragraph", text(child)])
        elif isinstance(child, nodes.footnote):
            out.append(["footnote"])
            walk(child, level, out)
        elif isinstance(child, (nodes.Element)) and not isinstance(child, (nodes.TextElement, nodes.comment, nodes.substitution_definition, nodes.system_message, nodes.raw)):
            walk(child, level, out)


def main():
    result = {}
    for path in sys.argv[1:]:
        with open(path, encoding="utf-8") as f:
            source = f.read()
        doctree = publish_doctree(source, source_path=path, settings_overrides=SETTINGS)
        out = []
        walk(doctree, 0, out)
        result[path] = out
    json.dump(result, sys.stdout)


main()
