"""The public API surface: newsledger.read / extract / Ledger as the README shows them."""
import importlib
import pickle

import newsledger


def test_extract_is_callable_and_a_package():
    ext = newsledger.extract("營收達3.5億元，增長12%")
    assert [f.text for f in ext.figures] == ["3.5億元", "12%"]
    entities = importlib.import_module("newsledger.extract.entities")
    import newsledger.extract.figures as figures  # the submodules stay reachable by dotted import

    assert callable(entities.find_entities) and callable(figures.find_figures)
    from newsledger.extract import extract

    assert pickle.loads(pickle.dumps(extract)) is extract  # plain function: travels to Dask workers


def test_extract_many_equals_one_by_one():
    texts = ["騰訊控股(0700.HK,中國)第三季收入約1,930億元人民幣，按年增長15%。",
             "财政部数据显示，今年前11个月科学技术支出8892亿元，同比增长7.9%。", ""]
    one = [newsledger.extract(t, ref_date="2025-12-29").to_dict() for t in texts]
    many = [e.to_dict() for e in newsledger.extract_many(texts, ref_dates=["2025-12-29"] * 3)]
    assert many == one


def test_public_names():
    for name in ("read", "extract", "extract_many", "Ledger", "ExtractOptions", "Figure", "Article"):
        assert getattr(newsledger, name) is not None
