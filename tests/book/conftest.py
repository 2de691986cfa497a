"""What the book's tests share (the corpus mirror and the browser are in tests/conftest.py)."""
import matplotlib
import pytest

matplotlib.use("Agg")  # the tests draw figures and never show them


@pytest.fixture(autouse=True)
def close_figures():
    """pyplot keeps every figure open until it is closed: close them after each test."""
    yield
    import matplotlib.pyplot as plt
    plt.close("all")
