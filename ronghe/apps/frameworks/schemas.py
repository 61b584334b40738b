from ninja import Schema


class FrameworkVersionOut(Schema):
    slug: str
    urn: str
    version: int
    title: str
    title_en: str
    standard: str
    sha256: str
    placeholder: bool
    n_items: int
    is_active: bool


class ItemOut(Schema):
    id: str
    type: str
    label: str
    unit: str | None
    required: bool
    options: list[tuple[str, str, float]]
    """(id, label, score 0–100) of each option."""
    condition: str | None
    exclusive: list[str] = []
    """Ids of the options that exclude every other option (以上都没有)."""


class NodeOut(Schema):
    id: str
    name: str
    weight: float
    share: float
    depth: int
    items: list[ItemOut]
    children: list["NodeOut"]


class FrameworkDetailOut(FrameworkVersionOut):
    roots: list[NodeOut]
