"""Folded words that price or count something without naming it ("tỷ đồng", "người", "lượt").

The sentence reader reads what such a number counts from the sentence's
subject (chiso.interpret.narrative.labels); the gate holds a sentence number
left with nothing but such a word (chiso.quality.unit_labels). One
vocabulary, so the two never disagree on what names a measure.
"""

MONEY = ("dong", "nghin dong", "trieu dong", "ty dong")
COUNTING = ("nguoi", "dong chi", "luot", "vu", "vu viec", "cuoc", "lan", "phieu", "don vi", "doi tuong", "truong hop")
"""Counting words that name no kind of thing ("văn bản", "hồ sơ" do: "ban hành 12 văn bản" is a fact)."""
