"""The section titles docutils finds in each document of a 2020 Matrix spec
checkout, assembled as the 2020 build assembled them (targets.yaml: files
in order, titles pushed down by their level, `group:` entries, relative
title styles made absolute), for test/matrix-2020.test.ts. Template lines
stay as they are (docutils reads them as paragraphs). Prints JSON:
{target: [[level, title], ...]}. Usage: python3 docutils-targets.py SPEC_DIR"""
import json
import os
import re
import sys

import yaml
from docutils import nodes
from docutils.core import publish_doctree

SETTINGS = {"doctitle_xform": False, "sectsubtitle_xform": False, "report_level": 5, "halt_level": 5, "file_insertion_enabled": False}


def is_title_line(prev, line, styles):
    line = line.rstrip("\n")
    stripped = line.rstrip()
    return len(prev.rstrip("\n")) <= len(line) and len(stripped) >= 3 and stripped[0] in styles and len(set(stripped)) == 1


def adjusted(text, level, styles):
    out, prev, offset = [], None, None
    for line in text.splitlines(keepends=True):
        if prev is None or not is_title_line(prev, line, styles):
            out.append(line)
            prev = line
            continue
        index = styles.index(line[0])
        if offset is None:
            offset = index
        out.append(line.replace(line[0], styles[level + index - offset]))
    return "".join(out)


def files_of(entry, level, groups):
    if isinstance(entry, str):
        if entry.startswith("group:"):
            for member in groups[entry[len("group:"):]]:
                yield from files_of(member, level, groups)
        else:
            yield entry, level
    elif isinstance(entry, dict):
        for key in sorted(entry):
            yield from files_of(entry[key], level + int(key), groups)
    else:
        for item in entry:
            yield from files_of(item, level, groups)


def relative_fixed(text, styles, relative):
    title = re.compile("^[" + re.escape("".join(styles)) + "]{3,}$")
    rel = re.compile("^[" + re.escape("".join(relative.values())) + "]{3,}$")
    out, current = [], None
    for line in text.splitlines(keepends=True):
        if rel.match(line.rstrip("\n")) and current is not None:
            index = styles.index(current)
            ch = line[0]
            target = index + 1 if ch == relative["subtitle"] else index if ch == relative["sametitle"] else index - 1
            line = line.replace(ch, styles[target])
        elif title.match(line.rstrip("\n")):
            current = line[0]
        out.append(line)
    return "".join(out)


def text_of(node):
    return " ".join("".join(t.astext() for t in node.traverse(nodes.Text) if not any(isinstance(a, nodes.generated) for a in parents(t))).split())


def parents(node):
    p = node.parent
    while p is not None:
        yield p
        p = p.parent


def sections(doctree):
    out = []
    for section in doctree.traverse(nodes.section):
        level = sum(1 for a in parents(section) if isinstance(a, nodes.section)) + 1
        out.append([level, text_of(section[0])])
    return out


def main():
    spec = sys.argv[1]
    with open(os.path.join(spec, "targets.yaml"), encoding="utf-8") as f:
        targets = yaml.safe_load(f)
    styles = targets["title_styles"]
    result = {}
    for name, target in targets["targets"].items():
        text = ""
        for file, level in files_of(target["files"], 0, targets.get("groups", {})):
            with open(os.path.join(spec, file), encoding="utf-8") as f:
                text += adjusted(f.read(), level, styles) + "\n\n"
        text = relative_fixed(text, styles, targets["relative_title_styles"])
        result[name] = sections(publish_doctree(text, settings_overrides=SETTINGS))
    json.dump(result, sys.stdout)


main()
