"""The numpy NER model and its helpers."""
from __future__ import annotations

import numpy as np
import pytest

from newsledger.extract import ner


def test_bio_spans():
    t = {name: i for i, name in enumerate(ner.TAGS)}
    tags = [t["B-PER"], t["I-PER"], t["O"], t["B-LOC"], t["I-LOC"], t["I-ORG"], t["O"]]
    assert ner.bio_spans(tags) == [(0, 2, "PER"), (3, 5, "LOC"), (5, 6, "ORG")]


def test_chunks_cover_text_in_order():
    text = "第一句。第二句很长，" + "甲" * 300 + "！\n\n最後一句"
    cs = ner.chunks(text)
    assert all(b - a <= ner.MAX_CHUNK for a, b in cs)
    assert all(a1 <= a2 for (a1, _), (a2, _) in zip(cs, cs[1:]))
    assert "".join(text[a:b] for a, b in cs).replace("\n", "") == text.replace("\n", "")


def test_simplified_view_keeps_length():
    for s in ["臺灣積體電路製造股份有限公司的記憶體", "國家資料局", "abc 123", ""]:
        v = ner.simplified_same_length(s)
        assert len(v) == len(s)
    assert ner.simplified_same_length("寧德時代") == "宁德时代"


def test_lexicon_features():
    f = ner.lex_features("北京大学的学生")
    assert f.shape == (7, ner.N_LEX)
    assert f[0].any() and not f[6, 0:3].any()  # 北 begins a word; 生 begins nothing
    assert ner.norm_char("９") == "0" and ner.norm_char("Ａ") == "a"


@pytest.mark.skipif(not ner.MODEL_PATH.exists(), reason="NER model not built")
def test_model_tags_both_scripts_alike():
    simp = "新华社北京电，王建国和刘晓梅昨天在上海参观了复旦大学。"
    trad = "新華社北京電，王建國和劉曉梅昨天在上海參觀了復旦大學。"
    got_s, got_t = ner.tagger().tag(simp), ner.tagger().tag(trad)
    assert got_s == got_t
    types = {simp[a:b]: t for a, b, t in got_s}
    assert types.get("王建国") == "PER" and types.get("刘晓梅") == "PER"
    assert types.get("上海") == "LOC"


@pytest.mark.skipif(not ner.MODEL_PATH.exists(), reason="NER model not built")
def test_batching_does_not_change_results():
    sents = ["张明在北京工作。", "联合国秘书长到访日本东京。", "她说：" + "今天天气很好，" * 12 + "李华去了广州。"]
    joint = ner.tagger().tag_chunks(sents)
    alone = [ner.tagger().tag_chunks([s])[0] for s in sents]
    for a, b in zip(joint, alone):
        assert np.array_equal(a, b)


def _train_module():
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("train_ner", root / "scripts" / "train_ner.py")
    tr = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tr)
    return tr


def _assert_numpy_matches_torch(torch, tr, make_net, meta_extra, tmp_path):
    torch.manual_seed(0)
    text = "王小明在北京大学读书，李华去了上海。"
    chars = ["<pad>", "<unk>"] + sorted(set(text))
    bigrams = ["<pad>", "<unk>"] + sorted({("\x02" + text + "\x03")[i:i + 2] for i in range(len(text) + 1)})
    net = make_net(len(chars), len(bigrams)).eval()
    with torch.no_grad():
        for p in net.parameters():
            p.uniform_(-1, 1)
    meta = {"chars": chars, "bigrams": bigrams, "hidden": 5, **meta_extra}
    path = tmp_path / "model.npz"
    tr.export(net, meta, path)
    net.half().float()  # compare against the fp16-rounded weights that were exported
    tagger = ner.load(path)
    # chunks of several lengths, tagged as one batch: padding and chunk edges must not leak
    sents = [text[:10], text[11:], text[2:4], text[5:6]]
    got = tagger.tag_chunks(sents)
    cid = {c: i for i, c in enumerate(chars)}
    bid = {b: i for i, b in enumerate(bigrams)}
    for s, g in zip(sents, got):
        c, bl, br, lex = ner.encode("".join(ner.norm_char(x) for x in s), cid, bid)
        with torch.no_grad():
            em = net.emissions(torch.tensor(c)[None], torch.tensor(bl)[None], torch.tensor(br)[None],
                               torch.tensor(lex, dtype=torch.float32)[None], torch.tensor([len(s)]))
            want = tr.viterbi(em, [len(s)], net.crf)[0]
        assert list(g) == want
    return tagger


def test_numpy_inference_matches_torch(tmp_path):
    """The exported numpy BiLSTM computes what the torch model computes (gate order, tanh trick)."""
    torch = pytest.importorskip("torch")
    tr = _train_module()
    tagger = _assert_numpy_matches_torch(
        torch, tr, lambda nc, nb: tr.Net(nc, nb, 8, 6, 5, len(ner.TAGS)), {}, tmp_path)
    assert type(tagger) is ner.Tagger


def test_an_exported_bilstm_loads_back_for_fine_tuning(tmp_path):
    """train_ner.py --init: loading an export back gives the network that was exported (fp16-rounded)."""
    torch = pytest.importorskip("torch")
    tr = _train_module()
    torch.manual_seed(1)
    text = "王小明在北京大学读书"
    chars = ["<pad>", "<unk>"] + sorted(set(text))
    bigrams = ["<pad>", "<unk>"] + sorted({("\x02" + text + "\x03")[i:i + 2] for i in range(len(text) + 1)})
    meta = {"chars": chars, "bigrams": bigrams, "hidden": 5}
    net = tr.Net(len(chars), len(bigrams), 8, 6, 5, len(ner.TAGS)).eval()
    with torch.no_grad():
        for p in net.parameters():
            p.uniform_(-1, 1)
    tr.export(net, meta, tmp_path / "model.npz")
    net.half().float()
    again = tr.Net(len(chars), len(bigrams), 8, 6, 5, len(ner.TAGS)).eval()
    tr.load_exported(again, tmp_path / "model.npz", meta)
    cid = {c: i for i, c in enumerate(chars)}
    bid = {b: i for i, b in enumerate(bigrams)}
    c, bl, br, lex = ner.encode(text, cid, bid)
    args = (torch.tensor(c)[None], torch.tensor(bl)[None], torch.tensor(br)[None],
            torch.tensor(lex, dtype=torch.float32)[None], torch.tensor([len(text)]))
    with torch.no_grad():
        assert torch.allclose(again.emissions(*args), net.emissions(*args), atol=1e-3)
    with pytest.raises(SystemExit):
        tr.load_exported(again, tmp_path / "model.npz", {**meta, "hidden": 6})


def test_numpy_conv_inference_matches_torch(tmp_path):
    """The exported numpy dilated CNN computes what the torch model computes (im2col order, zero edges)."""
    torch = pytest.importorskip("torch")
    tr = _train_module()
    tagger = _assert_numpy_matches_torch(
        torch, tr, lambda nc, nb: tr.CNNNet(nc, nb, 8, 6, 5, [1, 2, 4], len(ner.TAGS)),
        {"arch": "cnn", "dilations": [1, 2, 4]}, tmp_path)
    assert type(tagger) is ner.ConvTagger


def test_lexicon_hash_lookup_finds_what_the_automaton_finds():
    text = "北京大学的学生在中华人民共和国国务院门口遇见了张三丰，又去了上海浦东。\nABC公司"
    norm = ner.normalise(text)
    want = sorted((e - n + 1, n, m) for e, (n, m) in ner.lexicon().iter(norm))
    starts, lens, masks = ner._lex_hits(norm)
    assert want and sorted(zip(starts.tolist(), lens.tolist(), masks.tolist())) == want


def test_tag_spans_matches_bio_spans_per_chunk():
    t = {name: i for i, name in enumerate(ner.TAGS)}
    tags = np.array([t["B-PER"], t["I-PER"], t["I-PER"], t["I-LOC"], t["O"], t["I-ORG"], t["I-ORG"], t["B-ORG"]], np.int8)
    chunks = [(0, 2), (2, 6), (6, 8)]
    want = sorted((a + s, a + e, k) for a, b in chunks for s, e, k in ner.bio_spans(tags[a:b].tolist()))
    assert ner.tag_spans(tags, chunks) == want


@pytest.mark.skipif(not ner.MODEL_PATH.exists(), reason="NER model not built")
def test_tag_many_equals_one_by_one():
    texts = ["新华社北京电，王建国在上海。\n", "", "李华去了广州。\n\n", "“联合国秘书长到访日本东京。”他说。", "abc"]
    assert ner.tagger().tag_many(texts) == [ner.tagger().tag(t) for t in texts]


@pytest.mark.skipif(not ner.MODEL_PATH.exists(), reason="NER model not built")
def test_find_entities_many_equals_one_by_one():
    from newsledger.extract.entities import find_entities, find_entities_many

    texts = ["寧德時代董事長曾毓群在福建寧德說。\n", "高盛分析師王建国认为，百度和腾讯在北京表现不错。"]
    assert find_entities_many(texts) == [find_entities(t) for t in texts]


@pytest.mark.skipif(not ner.MODEL_PATH.exists(), reason="NER model not built")
def test_low_rank_recurrence_computes_the_truncated_matrix():
    """The factored step (h·U)·V gives what h·(U·V) gives with the full-matrix code."""
    H = ner.tagger().H
    low = ner.Tagger(rank=H // 4)
    full = ner.Tagger(rank=0)
    full.w_hh = np.matmul(low.w_u, low.w_v)
    text = "新华社北京电，王建国和刘晓梅昨天在上海参观了复旦大学。联合国秘书长到访日本东京。"
    assert low.w_u is not None and full.w_u is None
    assert low.tag(text) == full.tag(text)


@pytest.mark.skipif(not ner.MODEL_PATH.exists(), reason="NER model not built")
def test_inference_features_equal_training_features():
    """The vectorised whole-text features equal ner.encode (what training saw) chunk by chunk."""
    tg = ner.tagger()
    text = ("新华社北京电，ＡＢＣ公司１２日在中华人民共和国国务院召开会议。😀𠮷未知字符。\n"
            "“北京大学”的学生说：" + "上海浦东发展银行" * 20 + "！")
    norm = ner.normalise(text)
    spans = ner.chunks(norm)
    assert len(spans) > 3 and any(b - a == ner.MAX_CHUNK for a, b in spans)  # a hard cut inside a word
    cids, (ub, binv), lex = tg._features(norm, spans)
    n = len(norm)
    left, right = ub[binv[:n]], ub[binv[n:]]
    bits = ((lex[:, None] >> ner._LEX_SHIFT) & 1).astype(np.uint8)
    for a, b in spans:
        c, bl, br, lx = ner.encode(norm[a:b], tg.chars, tg.bigrams)
        assert np.array_equal(cids[a:b], c) and np.array_equal(left[a:b], bl) and np.array_equal(right[a:b], br)
        assert np.array_equal(bits[a:b], lx)


def _viterbi_one(em, trans, start, end):
    """Textbook Viterbi over one sequence (em: (T, K)), for checking the packed one."""
    score = start + em[0]
    back = []
    for t in range(1, len(em)):
        cand = score[:, None] + trans  # (from, to)
        back.append(cand.argmax(0))
        score = cand.max(0) + em[t]
    path = [int((score + end).argmax())]
    for b in reversed(back):
        path.append(int(b[path[-1]]))
    return path[::-1]


@pytest.mark.parametrize("rows", [3, 200])  # a few rows (second reduction) and many (read back at argmax)
def test_packed_viterbi_equals_the_textbook_one(rows):
    tg = ner.tagger()
    rng = np.random.default_rng(rows)
    lens = np.sort(rng.integers(1, 40, rows))[::-1]
    sizes = np.searchsorted(-lens, -np.arange(int(lens[0])), side="left")  # rows running at step t
    em = rng.normal(0, 3, (int(lens.sum()), len(ner.TAGS))).astype(np.float32)
    path = tg._viterbi(em, sizes)
    offs = np.concatenate([[0], np.cumsum(sizes)])
    for r, n in enumerate(lens):
        slots = [int(offs[t]) + r for t in range(int(n))]
        assert path[slots].tolist() == _viterbi_one(em[slots], tg.trans, tg.start, tg.end)


def test_extract_many_tags_long_input_in_groups_with_the_same_results(monkeypatch):
    import newsledger.extract as ex
    from newsledger.model import to_dict

    texts = [f"{i}号：华为公司总裁任正非在深圳宣布，今年营收增长{i}%，腾讯控股也在香港公布了业绩。" * 3
             for i in range(1, 8)]
    want = [to_dict(x) for x in ex.extract_many(texts)]
    sizes: list[int] = []
    real = ner._TaggerBase.tag_many

    def spy(self, group):  # noqa: ANN001, ANN202
        sizes.append(sum(map(len, group)))
        return real(self, group)

    monkeypatch.setattr(ner._TaggerBase, "tag_many", spy)
    monkeypatch.setattr(ex, "MODEL_BATCH_CHARS", 300)
    got = [to_dict(x) for x in ex.extract_many(texts)]
    assert got == want
    longest = max(map(len, texts))
    assert len(sizes) > 1 and sum(sizes) == sum(map(len, texts)) and max(sizes) < 300 + longest
