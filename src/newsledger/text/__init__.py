"""Text views: script detection and conversion, sentences, word segmentation.

- :mod:`newsledger.text.script`: ``detect_script``, ``normalise``, ``simplified_view`` (OpenCC
  ``tw2sp`` with an offset map back to the original), ``to_script``.
- :mod:`newsledger.text.sentences`: ``split_sentences`` (offsets into the original).
- :mod:`newsledger.text.segment`: ``tokens``, ``token_spans`` and ``index_text`` (jieba).

Nothing heavy is imported here: OpenCC and jieba load on first use.
"""
