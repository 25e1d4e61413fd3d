"""Edits from LibCST node replacements.

A fix builds the new node with LibCST (``with_changes``, or a node taken from the
tree), so the code it writes keeps the comments, quotes and layout of what it
reuses; the edit is then the span of the old node, from its recorded position,
and the new node's code. JSON and LSP consumers get the edits as they are.
"""

from __future__ import annotations

import libcst as cst

from losslint.analysis.program import SourceFile
from losslint.diagnostics import Edit
from losslint.fixes.text import split_lines
from losslint.fixes.tree import comments

# Expressions that can stand as the receiver of ``.view(...)`` without parentheses.
_ATOMIC = (
    cst.Name,
    cst.Attribute,
    cst.Call,
    cst.Subscript,
    cst.Integer,
    cst.Float,
    cst.SimpleString,
    cst.ConcatenatedString,
    cst.FormattedString,
    cst.List,
    cst.Tuple,
    cst.Dict,
    cst.Set,
    cst.ListComp,
    cst.SetComp,
    cst.DictComp,
    cst.GeneratorExp,
)


def replace(source: SourceFile, old: cst.CSTNode, new: cst.CSTNode) -> Edit:
    """Replace ``old`` (a node of ``source``) with ``new``.

    Positions exclude an expression's own parentheses, so the parentheses ``old``
    had stay in the file and are taken off ``new`` when it carries the same ones.
    """
    position = source.position(old)
    old_parens = len(getattr(old, "lpar", ()))
    new_parens = len(getattr(new, "lpar", ()))
    strip = min(old_parens, new_parens)
    if strip:
        new = new.with_changes(lpar=new.lpar[strip:], rpar=new.rpar[: len(new.rpar) - strip])
    return Edit(
        line=position.start.line,
        column=position.start.column + 1,
        end_line=position.end.line,
        end_column=position.end.column + 1,
        content=source.module.code_for_node(new),
    )


def parenthesized(expression: cst.BaseExpression) -> cst.BaseExpression:
    """``expression`` wrapped in parentheses unless it binds tighter than an attribute access."""
    if isinstance(expression, _ATOMIC) or getattr(expression, "lpar", ()):
        return expression
    return expression.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def delete_statement(source: SourceFile, statement: cst.SimpleStatementLine) -> Edit:
    """Remove a statement's whole lines; comments on them stay, as comment lines.

    The comments above the statement are not part of its position and stay where
    they are; those on or inside it (a trailing comment, comments in a multi-line
    call) are kept at the statement's indentation.
    """
    position = source.position(statement)
    lines = split_lines(source.module.code)
    first = lines[position.start.line - 1]
    indent = first[: position.start.column]
    newline = source.module.default_newline
    own = comments(statement.with_changes(leading_lines=()))  # those above stay in place
    kept = "".join(f"{indent}{comment}{newline}" for comment in own)
    return Edit(
        line=position.start.line,
        column=1,
        end_line=position.end.line + 1,
        end_column=1,
        content=kept,
    )
