"""Sphinx configuration for the tweepy-dm documentation.

The site follows tweepy's own docs: the Read the Docs theme, autodoc for the
API pages and napoleon for the numpy-style docstrings. It builds offline
(``tox -e docs``), with warnings as errors and nitpicky references.
"""

from __future__ import annotations

import pathlib
import sys

# Build against the working tree, also when the package is not installed.
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
# The project's own Sphinx extension (the endpoint tables).
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "_ext"))

import tweepy_dm

# -- Project -----------------------------------------------------------------

project = "tweepy-dm"
author = "tweepy-dm contributors"
copyright = "tweepy-dm contributors"
release = tweepy_dm.__version__
version = ".".join(release.split(".")[:2])

# -- General -----------------------------------------------------------------

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "myst_parser",
    "sphinx_rtd_theme",
    "dm_endpoints",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
templates_path: list[str] = []

pygments_style = "sphinx"

# No intersphinx: the build must not touch the network. References to the
# objects of other projects therefore cannot resolve and would fail the
# nitpicky (-n) build; they are listed here, and the pages link to tweepy's,
# requests' and aiohttp's documentation with plain URLs instead.
nitpick_ignore = [
    # tweepy's own classes, named in tweepy-dm's docstrings; tweepy documents
    # them at https://docs.tweepy.org/en/stable/
    ("py:class", "tweepy.Client"),
    ("py:class", "tweepy.asynchronous.AsyncClient"),
    ("py:class", "tweepy.Response"),
    ("py:class", "tweepy.DirectMessageEvent"),
    ("py:class", "tweepy.ReferencedTweet"),
    ("py:class", "tweepy.Paginator"),
    ("py:class", "tweepy.asynchronous.AsyncPaginator"),
    # tweepy's exceptions, named in the Raises sections.
    ("py:exc", "tweepy.TwitterServerError"),
    ("py:exc", "tweepy.Forbidden"),
    ("py:exc", "tweepy.Unauthorized"),
    ("py:exc", "tweepy.BadRequest"),
    ("py:exc", "tweepy.NotFound"),
    ("py:exc", "tweepy.TooManyRequests"),
    ("py:exc", "tweepy.HTTPException"),
    ("py:exc", "tweepy.TweepyException"),
    # What the clients return with return_type=requests.Response, or on the
    # async side; documented by requests and aiohttp.
    ("py:class", "requests.Response"),
    ("py:class", "requests.Session"),
    ("py:class", "aiohttp.ClientSession"),
    ("py:class", "tweepy.User"),
    ("py:func", "asyncio.run"),
    ("py:class", "aiohttp.ClientResponse"),
    # Standard library types named in docstrings (no intersphinx to the
    # Python docs either).
    ("py:class", "datetime.datetime"),
    ("py:class", "os.PathLike"),
    ("py:class", "re.Pattern"),
    ("py:class", "re.Match"),
    # numpydoc allows a type written in words; Sphinx still tries to link it.
    ("py:class", "binary file object"),
]

# -- autodoc and napoleon ------------------------------------------------------

autodoc_member_order = "bysource"
# The builders carry their own signature line; show it rather than **params.
autodoc_docstring_signature = True
# tweepy's docstrings are not rendered here: every directive names a
# tweepy-dm member, and inherited tweepy members are linked instead.
autodoc_inherit_docstrings = False
autodoc_typehints = "none"

napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = True
napoleon_use_param = True
napoleon_use_ivar = False

# -- MyST ----------------------------------------------------------------------

myst_heading_anchors = 3

# -- HTML ----------------------------------------------------------------------

html_theme = "sphinx_rtd_theme"
html_title = f"tweepy-dm {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_theme_options = {
    "navigation_depth": 3,
    "collapse_navigation": False,
}
html_show_sourcelink = False


# -- Doc-comments of re-exported constants -------------------------------------
#
# autodoc reads ``#:`` doc-comments from the module a directive names. The
# constants are documented as ``tweepy_dm.X`` (their public name) but defined,
# with their doc-comments, in private submodules; without this hook autodoc
# would show ``list``'s own docstring for them.


def _doc_comment(name: str, obj: object) -> list[str] | None:
    from sphinx.pycode import ModuleAnalyzer, PycodeError

    attribute = name.rpartition(".")[2]
    for module_name, module in sorted(sys.modules.items()):
        if not module_name.startswith("tweepy_dm.") or getattr(module, attribute, None) is not obj:
            continue
        try:
            comments = ModuleAnalyzer.for_module(module_name).find_attr_docs()
        except PycodeError:
            continue
        if ("", attribute) in comments:
            return list(comments["", attribute])
    return None


def _use_doc_comment(app, what, name, obj, options, lines) -> None:
    if what != "data" or not name.startswith("tweepy_dm."):
        return
    comment = _doc_comment(name, obj)
    if comment is not None:
        lines[:] = comment


# -- References sections ---------------------------------------------------------
#
# The docstrings list X's reference pages as bare URLs, one per line, under
# a numpydoc "References" heading. reST would run them together into one
# paragraph; render them as a list instead. Runs after napoleon, which turns
# the heading into a rubric.


def _list_references(app, what, name, obj, options, lines) -> None:
    in_references = False
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(".. rubric::"):
            in_references = stripped == ".. rubric:: References"
        elif in_references and stripped.startswith(("https://", "http://")):
            lines[index] = f"- {stripped}"


def setup(app):
    app.connect("autodoc-process-docstring", _use_doc_comment)
    app.connect("autodoc-process-docstring", _list_references)
