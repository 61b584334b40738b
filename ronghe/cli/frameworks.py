"""``ronghe frameworks``: list, validate and show framework files."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from rich.tree import Tree

from ronghe.cli.common import check_files, fail, framework, out, text
from ronghe.core.frameworks import load, shipped, validate
from ronghe.core.frameworks.outline import outline

app = typer.Typer(help="Framework files: questionnaires, indicator trees, weights and stage rules.",
                  no_args_is_help=True)


@app.command("list")
def list_() -> None:
    """List the frameworks shipped with ronghe."""
    table = Table("name", "title", "version", "items", "standard", "sha256")
    for path in shipped():
        lf = load(path)
        fw = lf.framework
        table.add_row(fw.name_slug, text(fw.name.zh), str(fw.version), str(len(fw.items)), text(fw.standard or ""),
                      lf.sha256[:12])
    out.print(table)


@app.command("validate")
def validate_(files: list[Path] = typer.Argument(..., help="framework YAML files", exists=False)) -> None:
    """Check framework files; print every fault as file, path and reason (exit 1 if any)."""
    check_files(files, validate)


@app.command("show")
def show(name: str = typer.Argument(..., help="short name, URN or path"),
         locale: str = typer.Option("zh-Hans", help="zh-Hans or en"),
         items: bool = typer.Option(False, "--items", help="list the questions under each indicator")) -> None:
    """Show a framework's indicator tree with weights, its stage rules and key rates."""
    lf = framework(name)
    o = outline(lf.framework, locale)
    out.print(f"[bold]{text(o.name)}[/]  {o.urn} v{o.version}  sha256 {lf.sha256[:12]}")
    if o.placeholder:
        out.print(f"[yellow]default weights[/] {text(o.notes or '')}")
    for root in o.roots:
        tree = Tree(f"[bold]{root.id} {text(root.name)}[/]" + ("  (total)" if root.id == o.total else ""))
        stack = [(tree, root)]
        while stack:
            branch, node = stack.pop(0)
            for child in node.children:
                sub = branch.add(f"{child.id} {text(child.name)}  w={child.weight:g}  share={child.share:.3f}")
                stack.append((sub, child))
            if items:
                for it in node.items:
                    cond = f"  [dim]{text(it.condition)}[/]" if it.condition else ""
                    unit = f" ({text(it.unit)})" if it.unit else ""
                    branch.add(f"[cyan]{it.id}[/] \\[{it.type}] {text(it.label)}{unit}  w={it.weight:g}{cond}")
        out.print(tree)
    stages = Table("code", "stage", "requires (bottom-up)", title="stages", title_justify="left")
    for s in o.stages:
        stages.add_row(str(s.code), text(s.label),
                       text("; ".join(f"{n} {nm} ≥ {m:g}" for n, nm, m in s.requires) or "—"))
    out.print(stages)
    if o.rates:
        rates = Table("rate", "label", "item", title="key rates", title_justify="left")
        for rid, label, item in o.rates:
            rates.add_row(rid, text(label), item)
        out.print(rates)
    if not o.roots:
        fail("the framework has no root node")
