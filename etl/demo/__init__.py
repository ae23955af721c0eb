"""The demo: realistic input files for one kabupaten, loaded through the real loaders.

``python -m etl demo`` GENERATES the files a data officer would receive (etl.demo.generator,
tuned by etl.demo.calibration) into ``files_dir``, then loads them exactly as a user would into a
new database that replaces the old one atomically (etl.demo.build), with the boundaries
(geo, sequenced by the command line, etl.cli), adds two past planning meetings with their
decisions (etl.demo.meetings) and reports its figures (etl.demo.figures).

Deterministic: the same seed, scale, kabupaten and reference date give byte-identical files and
therefore identical figures. The reference date is today unless ``as_of`` is given.
"""

from . import generator
from .build import LOAD_ORDER, RealDatabase, check_replaceable, load_brief, load_tabular
from .figures import dashboard_figures, headline_figures
from .generator import files_dir_for, form_headers, generate_files
from .meetings import add_meetings

__all__ = ["LOAD_ORDER", "add_meetings", "RealDatabase", "check_replaceable", "dashboard_figures",
           "files_dir_for", "form_headers", "generate_files", "generator", "headline_figures",
           "load_brief", "load_tabular"]
