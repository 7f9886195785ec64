"""help() on a rollgate function shows its signature and the shape of its
inputs and result (issue 13: it was one line)."""

from __future__ import annotations

import inspect

import rollgate


def test_help_shows_the_input_shape() -> None:
    doc = rollgate.order_services.__doc__ or ""
    assert doc.startswith("Deployment waves, rollback waves and critical path of a plan.")
    assert '"depends_on"?: [str]' in doc
    assert "returns:" in doc
    calendar_doc = rollgate.check_window.__doc__ or ""
    assert '"days": ["mon", "tue"]' in calendar_doc and '"from": timestamp' in calendar_doc


def test_every_function_has_a_signature_and_a_multi_line_doc() -> None:
    for name in rollgate.__all__:
        f = getattr(rollgate, name)
        if not callable(f) or isinstance(f, type):
            continue
        doc = f.__doc__ or ""
        assert len(doc.splitlines()) > 1, name
        for param in inspect.signature(f).parameters:
            assert param in doc, (name, param)
