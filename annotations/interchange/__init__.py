"""Label interchange: one table of formats (:mod:`.formats`: JSON/CSV, ELAN .eaf, Label Studio,
CVAT for video both ways, SumMe/TVSum read, eccv16-style h5 written).

Every reader returns ``list[SelectionInput]`` for :meth:`Repository.import_selections` (one
transaction per import); every writer takes the list :func:`collect` gathers from a repository.
Heavy libraries (h5py, scipy, pympi) are imported by the functions that use them.
"""

from annotations.interchange.benchmarks import summe_inputs, tvsum_inputs
from annotations.interchange.collect import collect
from annotations.interchange.csv_format import read_csv, write_csv
from annotations.interchange.cvat_format import read_cvat, write_cvat
from annotations.interchange.elan_format import read_eaf, write_eaf
from annotations.interchange.formats import FORMATS, LabelFormat, ReadOptions
from annotations.interchange.h5_format import write_h5
from annotations.interchange.json_format import read_json, write_json
from annotations.interchange.label_studio import write_label_studio
from annotations.interchange.label_studio_read import read_label_studio

__all__ = [
    "FORMATS",
    "LabelFormat",
    "ReadOptions",
    "collect",
    "read_csv",
    "read_cvat",
    "read_eaf",
    "read_json",
    "read_label_studio",
    "summe_inputs",
    "tvsum_inputs",
    "write_csv",
    "write_cvat",
    "write_eaf",
    "write_h5",
    "write_json",
    "write_label_studio",
]
