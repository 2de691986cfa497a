"""What the book's tests share (the corpus mirror and the browser are in tests/conftest.py)."""
import matplotlib
import pytest

matplotlib.use("Agg")  # the tests draw figures and never show them


@pytest.fixture(autouse=True)
def close_figures(request):
    """pyplot keeps every figure open until it is closed: close them after each test. Before
    that, every figure a test drew (the book's figures, from its plotting tests) must have its
    legends clear of the data (rnnkit.book.legend)."""
    yield
    import matplotlib.pyplot as plt

    from rnnkit.book.legend import covered
    try:
        if "legend_may_cover" not in request.keywords:
            for num in plt.get_fignums():
                for ax in plt.figure(num).axes:
                    assert covered(ax) == 0, f"{request.node.name}: a legend covers {covered(ax)} data points"
    finally:
        plt.close("all")
