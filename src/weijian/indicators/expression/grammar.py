"""The lark grammar of the expression language (DHIS2 indicator syntax, with codes).

Precedence, loosest first, as in DHIS2's ANTLR grammar (dhis2-core `Expression.g4`):

    ||  or                      left-associative
    &&  and                     left-associative
    ==  !=                      left-associative
    <  <=  >  >=                left-associative
    +  -                        left-associative   2-3-4 = (2-3)-4 = -5
    *  /  %                     left-associative   8/4/2 = (8/4)/2 = 1
    unary + - ! not             prefix             -2^2 = -(2^2) = -4
    ^                           right-associative  2^3^2 = 2^(3^2) = 512; 2^-1 = 0.5

References are single tokens (`#{…}`, `C{…}`, `N{…}`, `R{…}`, `OUG{…}`); what is inside the
braces is checked by the builder, so that a bad code gets a precise message at the exact
character instead of a generic "unexpected token".
"""

from functools import cache

from lark import Lark

GRAMMAR = r"""
?start: expr

?expr: or_expr
?or_expr: and_expr | or_expr (OROR | OR) and_expr -> binary
?and_expr: eq_expr | and_expr (ANDAND | AND) eq_expr -> binary
?eq_expr: cmp_expr | eq_expr (EQ | NE) cmp_expr -> binary
?cmp_expr: sum | cmp_expr (LT | LE | GT | GE) sum -> binary
?sum: product | sum (PLUS | MINUS) product -> binary
?product: unary | product (STAR | SLASH | PERCENT) unary -> binary
?unary: power | (PLUS | MINUS | BANG | NOT) unary -> unary
?power: atom | atom POW unary -> binary

?atom: NUMBER -> number
     | TRUE -> boolean
     | FALSE -> boolean
     | ELEMENT_REF -> reference
     | CONSTANT_REF -> reference
     | INDICATOR_REF -> reference
     | REPORTING_REF -> reference
     | GROUP_REF -> reference
     | NAME LPAR [arguments] RPAR -> call
     | NAME -> bare_name
     | LPAR expr RPAR -> group

arguments: expr (COMMA expr)*

// A reference is one token; the builder checks the codes inside the braces.
ELEMENT_REF.3: /#\{[^{}]*\}/
CONSTANT_REF.3: /C\{[^{}]*\}/
INDICATOR_REF.3: /N\{[^{}]*\}/
REPORTING_REF.3: /R\{[^{}]*\}/
GROUP_REF.3: /OUG\{[^{}]*\}/

// Keywords are case-insensitive, like function names; \b keeps `orders(` a NAME.
AND.2: /and\b/i
OR.2: /or\b/i
NOT.2: /not\b/i
TRUE.2: /true\b/i
FALSE.2: /false\b/i

NUMBER: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/
NAME: /[A-Za-z_][A-Za-z0-9_]*/

OROR: "||"
ANDAND: "&&"
EQ: "=="
NE: "!="
LE: "<="
GE: ">="
LT: "<"
GT: ">"
PLUS: "+"
MINUS: "-"
STAR: "*"
SLASH: "/"
PERCENT: "%"
POW: "^"
BANG: "!"
LPAR: "("
RPAR: ")"
COMMA: ","

%ignore /\s+/
"""


@cache
def parser() -> Lark:
    """The LALR parser, built once per process (lark's LALR tables are immutable)."""
    return Lark(GRAMMAR, parser="lalr", lexer="contextual", propagate_positions=True)
