"""Word reports (.docx): their paragraphs as prose, their tables as printed grids."""

from chiso.read.spec import ZIP_MAGIC, Method, Reader

READER = Reader(
    name="docx",
    suffixes=(".docx",),
    read="chiso.read.docx.reader:read_docx",
    methods=(Method("docx_table"), Method("docx_text", prose=True)),
    formats=("docx",),
    magic=(ZIP_MAGIC,),
)
