"""The GSO's PX-Web CSV exports, one source whose layout names every observation."""

from chiso.read.spec import Method, Reader

READER = Reader(
    name="gso",
    suffixes=(".csv",),
    read="chiso.read.gso.reader:read_gso_csv",
    methods=(Method("csv"),),
    formats=("csv",),
    accepts="chiso.read.gso.reader:is_pxweb_csv",
)
