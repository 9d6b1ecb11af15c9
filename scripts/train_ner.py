"""Train the character BiLSTM-CRF of newsledger.extract.ner on MSRA and export it to numpy.

    nice -n 10 .venv/bin/python scripts/train_ner.py --data ../shared/data/ner > /tmp/ner_train.log 2>&1 &

Reproducible: fixed seeds, one or two threads (``--threads``; the machine is shared), MSRA train only (its last
``--dev`` sentences after a seeded shuffle are held out to pick the best epoch; MSRA test is never
seen).  Features are computed by the same code the package uses at inference (ner.encode).
Each epoch that improves held-out F1 is exported to src/newsledger/extract/data/ner/model.npz
(fp16), so a stopped run still leaves the best model so far.  torch is needed here only.
"""
from __future__ import annotations

import argparse
import collections
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from newsledger.extract import ner  # noqa: E402

TAG_ID = {t: i for i, t in enumerate(ner.TAGS)}


def read_bio(path: Path) -> list[tuple[str, list[int]]]:
    """MSRA ``char\\tlabel`` lines, blank line between sentences; an empty label is O."""
    sents, chars, labels = [], [], []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip():
            if chars:
                sents.append(("".join(chars), labels))
            chars, labels = [], []
            continue
        c, _, lab = line.partition("\t")
        chars.append(c[:1] or " ")
        labels.append(TAG_ID.get(lab.strip() or "O", 0))
    if chars:
        sents.append(("".join(chars), labels))
    return sents


CLUE_TYPES = {"name": "PER", "company": "ORG", "organization": "ORG", "government": "ORG", "address": "LOC",
              "scene": "LOC"}  # position, book, game, movie: not names in MSRA's sense, left O


def read_clue(path: Path) -> list[tuple[str, list[int]]]:
    """CLUENER2020 JSON lines (spans with inclusive ends) as BIO over PER/LOC/ORG (CLUE_TYPES)."""
    sents = []
    for line in path.read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        text = d["text"]
        labels = [0] * len(text)
        for typ, surf in d.get("label", {}).items():
            coarse = CLUE_TYPES.get(typ)
            for spans in (surf.values() if coarse else ()):
                for a, b in spans:
                    if any(labels[a:b + 1]):  # overlapping spans: keep the first
                        continue
                    labels[a] = TAG_ID[f"B-{coarse}"]
                    for i in range(a + 1, b + 1):
                        labels[i] = TAG_ID[f"I-{coarse}"]
        sents.append((text, labels))
    return sents


def split_chunks(sents):
    """Cut training sentences the way inference cuts text (ner.chunks)."""
    out = []
    for s, lab in sents:
        for a, b in ner.chunks(s):
            out.append((s[a:b], lab[a:b]))
    return out


class CRF(nn.Module):
    def __init__(self, k: int):
        super().__init__()
        self.trans = nn.Parameter(torch.zeros(k, k))
        self.start = nn.Parameter(torch.zeros(k))
        self.end = nn.Parameter(torch.zeros(k))

    def nll(self, em, tags, mask):
        """Mean negative log-likelihood; em (B,T,K), tags (B,T), mask (B,T) bool, rows left-aligned."""
        B, T, K = em.shape
        ar = torch.arange(B)
        score = self.start[tags[:, 0]] + em[ar, 0, tags[:, 0]]
        alpha = self.start + em[:, 0]
        for t in range(1, T):
            m = mask[:, t]
            step = self.trans[tags[:, t - 1], tags[:, t]] + em[ar, t, tags[:, t]]
            score = score + step * m
            nxt = torch.logsumexp(alpha[:, :, None] + self.trans[None] + em[:, t, None, :], dim=1)
            alpha = torch.where(m[:, None], nxt, alpha)
        last = tags[ar, mask.sum(1) - 1]
        score = score + self.end[last]
        logz = torch.logsumexp(alpha + self.end, dim=1)
        return (logz - score).mean()


class Net(nn.Module):
    def __init__(self, n_chars, n_bigrams, d_c, d_b, hidden, k):
        super().__init__()
        self.char = nn.Embedding(n_chars, d_c, padding_idx=0)
        self.bigram = nn.Embedding(n_bigrams, d_b, padding_idx=0)
        self.drop = nn.Dropout(0.3)
        self.lstm = nn.LSTM(d_c + 2 * d_b + ner.N_LEX, hidden, batch_first=True, bidirectional=True)
        self.out = nn.Linear(2 * hidden, k)
        self.crf = CRF(k)

    def emissions(self, c, bl, br, lex, lens):
        x = torch.cat([self.char(c), self.bigram(bl), self.bigram(br), lex], dim=-1)
        x = self.drop(x)
        packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
        h, _ = self.lstm(packed)
        h, _ = nn.utils.rnn.pad_packed_sequence(h, batch_first=True, total_length=c.shape[1])
        return self.out(self.drop(h))


class CNNNet(nn.Module):
    """Residual dilated convolutions (as ID-CNN, Strubell et al. 2017) instead of the BiLSTM.

    No recurrence: at inference every layer is one large matrix product over all characters, so it runs
    at GEMM speed in numpy.  Positions past a chunk's end are zeroed after every layer, exactly as the
    numpy inference pads between chunks.
    """

    def __init__(self, n_chars, n_bigrams, d_c, d_b, channels, dilations, k):
        super().__init__()
        self.char = nn.Embedding(n_chars, d_c, padding_idx=0)
        self.bigram = nn.Embedding(n_bigrams, d_b, padding_idx=0)
        self.drop = nn.Dropout(0.3)
        self.inp = nn.Conv1d(d_c + 2 * d_b + ner.N_LEX, channels, 3, padding=1)
        self.convs = nn.ModuleList(nn.Conv1d(channels, channels, 3, dilation=d, padding=d) for d in dilations)
        self.mid = nn.Dropout(0.15)
        self.out = nn.Linear(channels, k)
        self.crf = CRF(k)

    def emissions(self, c, bl, br, lex, lens):
        x = torch.cat([self.char(c), self.bigram(bl), self.bigram(br), lex], dim=-1)
        x = self.drop(x).transpose(1, 2)  # (B, D, T)
        mask = (torch.arange(c.shape[1])[None] < lens[:, None])[:, None, :].to(x.dtype)
        h = torch.relu(self.inp(x * mask)) * mask
        for conv in self.convs:
            h = (h + torch.relu(conv(self.mid(h)))) * mask
        return self.out(self.drop(h.transpose(1, 2)))


def batches(data, size, shuffle, rng):
    idx = sorted(range(len(data)), key=lambda i: len(data[i][0]))
    groups = [idx[i:i + size] for i in range(0, len(idx), size)]
    if shuffle:
        rng.shuffle(groups)
    for g in groups:
        items = [data[i] for i in g]
        T = max(len(it[0]) for it in items)
        B = len(items)
        c = torch.zeros(B, T, dtype=torch.long)
        bl, br, y = c.clone(), c.clone(), c.clone()
        lex = torch.zeros(B, T, ner.N_LEX)
        lens = torch.tensor([len(it[0]) for it in items])
        for j, (ci, bli, bri, lx, lab) in enumerate(items):
            n = len(ci)
            c[j, :n], bl[j, :n], br[j, :n] = torch.from_numpy(ci), torch.from_numpy(bli), torch.from_numpy(bri)
            lex[j, :n] = torch.from_numpy(lx.astype(np.float32))
            y[j, :n] = torch.tensor(lab)
        mask = torch.arange(T)[None] < lens[:, None]
        yield c, bl, br, lex, lens, y, mask


def viterbi(em, lens, crf):
    out = []
    tr, st, en = crf.trans.detach(), crf.start.detach(), crf.end.detach()
    for i in range(em.shape[0]):
        e = em[i, : lens[i]]
        score = st + e[0]
        back = []
        for t in range(1, len(e)):
            cand = score[:, None] + tr
            best, arg = cand.max(0)
            score = best + e[t]
            back.append(arg)
        tag = int((score + en).argmax())
        path = [tag]
        for arg in reversed(back):
            tag = int(arg[tag])
            path.append(tag)
        out.append(path[::-1])
    return out


def f1(model, data, rng):
    model.eval()
    tp = fp = fn = 0
    with torch.no_grad():
        for c, bl, br, lex, lens, y, mask in batches(data, 256, False, rng):
            em = model.emissions(c, bl, br, lex, lens)
            for i, path in enumerate(viterbi(em, lens, model.crf)):
                gold = set(ner.bio_spans(y[i, : lens[i]].tolist()))
                pred = set(ner.bio_spans(path))
                tp += len(gold & pred)
                fp += len(pred - gold)
                fn += len(gold - pred)
    model.train()
    return 2 * tp / max(1, 2 * tp + fp + fn)


def export(model, meta, path: Path):
    sd = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    if meta.get("arch") == "cnn":
        arrays = {"meta": np.array(json.dumps(meta, ensure_ascii=False))}
        arrays.update(char_emb=sd["char.weight"], bigram_emb=sd["bigram.weight"], inp_w=sd["inp.weight"],
                      inp_b=sd["inp.bias"], out_w=sd["out.weight"], out_b=sd["out.bias"], crf_trans=sd["crf.trans"],
                      crf_start=sd["crf.start"], crf_end=sd["crf.end"])
        for i in range(len(meta["dilations"])):
            arrays[f"conv{i}_w"], arrays[f"conv{i}_b"] = sd[f"convs.{i}.weight"], sd[f"convs.{i}.bias"]
        return _save(arrays, path)
    H = meta["hidden"]

    def reorder(w):  # torch gate order i, f, g, o → i, f, o, g (sigmoids first)
        return np.concatenate([w[:H], w[H:2 * H], w[3 * H:], w[2 * H:3 * H]])

    arrays = {"meta": np.array(json.dumps(meta, ensure_ascii=False))}
    for d, suf in (("f", ""), ("b", "_reverse")):
        arrays[f"w_ih_{d}"] = reorder(sd[f"lstm.weight_ih_l0{suf}"])
        arrays[f"w_hh_{d}"] = reorder(sd[f"lstm.weight_hh_l0{suf}"])
        arrays[f"b_{d}"] = reorder(sd[f"lstm.bias_ih_l0{suf}"] + sd[f"lstm.bias_hh_l0{suf}"])
    arrays.update(char_emb=sd["char.weight"], bigram_emb=sd["bigram.weight"], out_w=sd["out.weight"],
                  out_b=sd["out.bias"], crf_trans=sd["crf.trans"], crf_start=sd["crf.start"], crf_end=sd["crf.end"])
    _save(arrays, path)


def load_exported(model, path: Path, meta: dict) -> None:
    """Start ``model`` (the BiLSTM) from an exported ``.npz`` trained on the same vocabulary: the
    inverse of :func:`export` (gates back in torch's order, the summed bias as ``bias_ih``).  The
    weights were stored in fp16, so training resumes from that rounding."""
    z = np.load(path)
    old = json.loads(str(z["meta"]))
    if old.get("arch", "lstm") != "lstm" or (old["chars"], old["bigrams"], old["hidden"]) != (
            meta["chars"], meta["bigrams"], meta["hidden"]):
        raise SystemExit(f"{path}: not a BiLSTM with this data's vocabulary and hidden size; train from scratch")
    H = meta["hidden"]

    def torch_order(w):  # i, f, o, g (export) → i, f, g, o (torch): the same swap of the last two blocks
        return np.concatenate([w[:H], w[H:2 * H], w[3 * H:], w[2 * H:3 * H]])

    f32 = lambda k: z[k].astype(np.float32)  # noqa: E731
    sd = {"char.weight": f32("char_emb"), "bigram.weight": f32("bigram_emb"), "out.weight": f32("out_w"),
          "out.bias": f32("out_b"), "crf.trans": f32("crf_trans"), "crf.start": f32("crf_start"),
          "crf.end": f32("crf_end")}
    for d, suf in (("f", ""), ("b", "_reverse")):
        sd[f"lstm.weight_ih_l0{suf}"] = torch_order(f32(f"w_ih_{d}"))
        sd[f"lstm.weight_hh_l0{suf}"] = torch_order(f32(f"w_hh_{d}"))
        sd[f"lstm.bias_ih_l0{suf}"] = torch_order(f32(f"b_{d}"))
        sd[f"lstm.bias_hh_l0{suf}"] = np.zeros(4 * H, np.float32)
    model.load_state_dict({k: torch.from_numpy(v) for k, v in sd.items()})


def _save(arrays, path: Path):
    for k, v in arrays.items():
        if k != "meta":
            arrays[k] = v.astype(np.float16)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name("model.tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "ner"))
    ap.add_argument("--out", default=str(ner.MODEL_PATH))
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--max-minutes", type=float, default=55)
    ap.add_argument("--arch", choices=("lstm", "cnn"), default="lstm")
    ap.add_argument("--hidden", type=int, default=128, help="LSTM hidden size, or CNN channels")
    ap.add_argument("--dilations", default="1,2,4", help="CNN: dilation of each residual layer")
    ap.add_argument("--char-dim", type=int, default=64)
    ap.add_argument("--bigram-dim", type=int, default=64)
    ap.add_argument("--bigrams", type=int, default=50000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--dev", type=int, default=2000)
    ap.add_argument("--clue", action="store_true", help="also train on CLUENER2020 train (see CLUE_TYPES)")
    ap.add_argument("--limit-batches", type=int, default=0, help="time this many batches and stop")
    ap.add_argument("--init", default=None,
                    help="fine-tune: start from this exported BiLSTM (.npz) trained on the same data and vocabulary "
                         "(give a --lr that continues its schedule, e.g. 2e-3 × 0.85^epochs)")
    ap.add_argument("--threads", default="auto",
                    help="torch threads; auto = 2 when the 1-minute load average is below 3, else 1 (shared machine)")
    args = ap.parse_args()

    import os

    threads = (2 if os.getloadavg()[0] < 3 else 1) if args.threads == "auto" else int(args.threads)
    torch.set_num_threads(threads)
    print(f"torch threads: {threads} (load average {os.getloadavg()[0]:.1f})", flush=True)
    torch.manual_seed(13)
    rng = random.Random(13)
    t0 = time.time()
    sents = read_bio(Path(args.data) / "msra" / "msra_train_bio")
    rng.shuffle(sents)
    train_s, dev_s = split_chunks(sents[args.dev:]), split_chunks(sents[: args.dev])
    trained_on = "MSRA train minus a held-out slice"
    if args.clue:  # modern Sina news: CLUENER train, its own slice held out too (CLUENER dev stays unseen)
        clue = read_clue(Path(args.data) / "cluener2020" / "cluener_public" / "train.json")
        rng.shuffle(clue)
        k = len(clue) * args.dev // len(sents)
        train_s += split_chunks(clue[k:])
        dev_s += split_chunks(clue[:k])
        trained_on = "MSRA train and CLUENER2020 train (mapped to PER/LOC/ORG), minus held-out slices"
    cc = collections.Counter(ner.norm_char(c) for s, _ in train_s for c in s)
    chars = ["<pad>", "<unk>"] + sorted(c for c, n in cc.items() if n >= 2)
    bc = collections.Counter()
    for s, _ in train_s:
        p = "\x02" + "".join(ner.norm_char(c) for c in s) + "\x03"
        bc.update(p[i:i + 2] for i in range(len(p) - 1))
    bigrams = ["<pad>", "<unk>"] + [b for b, n in bc.most_common(args.bigrams) if n >= 2]
    cid = {c: i for i, c in enumerate(chars)}
    bid = {b: i for i, b in enumerate(bigrams)}

    def enc(data):
        return [(*ner.encode("".join(ner.norm_char(c) for c in s), cid, bid), lab) for s, lab in data]

    train, dev = enc(train_s), enc(dev_s)
    print(f"data: {len(train)} train chunks, {len(dev)} dev chunks, {len(chars)} chars, {len(bigrams)} bigrams, "
          f"{time.time() - t0:.0f}s", flush=True)
    meta = {"chars": chars, "bigrams": bigrams, "hidden": args.hidden, "tags": list(ner.TAGS),
            "trained_on": trained_on, "args": {k: v for k, v in vars(args).items() if k != "data"},
            "arch": args.arch}
    if args.arch == "cnn":
        meta["dilations"] = [int(d) for d in args.dilations.split(",")]
        model = CNNNet(len(chars), len(bigrams), args.char_dim, args.bigram_dim, args.hidden, meta["dilations"],
                       len(ner.TAGS))
    else:
        model = Net(len(chars), len(bigrams), args.char_dim, args.bigram_dim, args.hidden, len(ner.TAGS))
    best = -1.0
    if args.init:
        load_exported(model, Path(args.init), meta)
        best = f1(model, dev, rng)  # export only what beats the starting point
        print(f"started from {args.init}: held-out F1 {best:.4f}", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    sched = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.85)
    for epoch in range(1, args.epochs + 1):
        te = time.time()
        total, nb = 0.0, 0
        for c, bl, br, lex, lens, y, mask in batches(train, args.batch, True, rng):
            em = model.emissions(c, bl, br, lex, lens)
            loss = model.crf.nll(em, y, mask)
            opt.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            total += float(loss.detach())
            nb += 1
            if nb % 200 == 0:
                print(f"  epoch {epoch} batch {nb} loss {total / nb:.3f} {time.time() - te:.0f}s", flush=True)
            if args.limit_batches and nb >= args.limit_batches:
                print(f"{nb} batches in {time.time() - te:.1f}s", flush=True)
                return
        sched.step()
        score = f1(model, dev, rng)
        print(f"epoch {epoch}: loss {total / nb:.3f}, held-out F1 {score:.4f}, {time.time() - te:.0f}s "
              f"(total {(time.time() - t0) / 60:.1f} min)", flush=True)
        if score > best:
            best = score
            meta["heldout_f1"] = round(score, 4)
            meta["epoch"] = epoch
            export(model, meta, Path(args.out))
            print(f"  exported to {args.out}", flush=True)
        if (time.time() - t0) / 60 + (time.time() - t0) / 60 / epoch > args.max_minutes:
            print("stopping: the next epoch would exceed the time budget", flush=True)
            break
    print(f"done: best held-out F1 {best:.4f}, {(time.time() - t0) / 60:.1f} min", flush=True)


if __name__ == "__main__":
    main()
