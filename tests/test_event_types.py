"""The event-type classifier: features, the shipped model, its card, training and
the case2021 evaluator (sentences and files of the tests' own; the real CASE
data only in the test marked ``shared``)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from counterclaim.eval import case2021
from counterclaim.nlp import event_types as et
from counterclaim.records import SUB_TYPE_TO_TYPE

MODELS = Path(et.__file__).resolve().parents[1] / "data" / "models"


# -- labels and features -------------------------------------------------------------


def test_label_map_covers_the_25_acled_sub_types_and_five_others():
    m = et.case_label_map()
    assert len(m) == 30
    assert {v for v in m.values() if v} == set(SUB_TYPE_TO_TYPE)
    assert sorted(k for k, v in m.items() if v is None) == [
        "ATTRIB", "DIPLO", "MAN_MADE_DISASTER", "NATURAL_DISASTER", "ORG_CRIME"]
    assert m["OTHER"] == "Other"


def test_features_blocks_and_digit_folding():
    f = et.features("Troops shelled 12 villages. Later rebels fled.")
    assert f["w:troops"] == 1 and f["w:shelled 00"] == 1
    assert "c: tr" in f and "q:SHELL" in f and "q:STATE" in f
    assert "f:troops" in f and "f:rebels" not in f  # lead sentence only
    assert et.features("Troops shelled 12 villages.") == et.features("Troops shelled 12 villages.")


def test_agent_of_a_territory_act_is_the_nearest_actor_before_it_or_after_by():
    assert "a:TERRITORY@STATE" in et.features("Government troops recaptured the town from the rebels.")
    assert "a:TERRITORY@NONSTATE" in et.features("Islamist militants seized the town on Monday.")
    assert "a:TERRITORY@NONSTATE" in et.features("The town was captured by insurgents after a siege.")
    assert "a:TERRITORY@NONE" in et.features("The town was liberated on Friday.")


# -- the shipped model ----------------------------------------------------------------


def test_shipped_model_is_small_pickle_free_and_has_an_honest_card():
    card = json.loads((MODELS / "event_types.json").read_text(encoding="utf-8"))
    assert card["format"] == et.FORMAT
    assert (MODELS / card["arrays"]).stat().st_size < 5_000_000
    with np.load(MODELS / card["arrays"], allow_pickle=False) as z:  # no object arrays
        assert z["coef"].shape == (len(z["vocab"]), len(card["classes"]))
    assert len(card["training_data"]["sha256"]) == 64
    assert {"numpy", "scikit-learn"} <= set(card["versions"])
    cv = card["cross_validation"]
    assert cv["folds"] == 5 and cv["seeds"] == [0, 1, 2, 3, 4]
    assert cv["metrics"]["weighted_f1"] >= 0.75
    assert card["cues_sha256"] == et.cues_sha256(), "the cue file changed: retrain (scripts/train_event_types.py)"
    assert "train" not in json.dumps(card["cross_validation"]["metrics"]).lower()


@pytest.mark.parametrize("text, expected", [
    ("Pakistani jets struck Taliban hideouts in Kandahar overnight.", "Air/drone strike"),
    ("A suicide bomber blew himself up at a checkpoint, killing five soldiers.", "Suicide bomb"),
    ("Government forces recaptured the town of Palmyra from Islamic State militants.", "Government regains territory"),
    ("Rebel fighters seized the district centre after heavy fighting.", "Non-state actor overtakes territory"),
    ("The two sides signed a ceasefire agreement in Doha on Saturday.", "Agreement"),
    ("Thousands of people marched peacefully through the capital to demand higher wages.", "Peaceful protest"),
    ("Rioters torched cars and threw stones at police.", "Violent demonstration"),
    ("A 6.1 magnitude earthquake struck the coast, destroying hundreds of homes.", None),
])
def test_predict_on_clear_sentences(text, expected):
    label, p = et.predict(text)
    assert label == expected
    assert 0.0 < p <= 1.0


def test_classify_is_a_distribution_over_acled_sub_types_and_none():
    out = et.classify("Mortar shells hit a market in the city, killing three civilians.")
    assert abs(sum(p for _, p in out) - 1.0) < 1e-6
    assert [p for _, p in out] == sorted((p for _, p in out), reverse=True)
    assert {k for k, _ in out} <= set(SUB_TYPE_TO_TYPE) | {None}
    assert out[0][0] == "Shelling/artillery/missile attack"
    assert et.predict("Mortar shells hit a market.", min_prob=1.01)[0] is None


def test_among_restricts_and_renormalises():
    text = "An explosion tore through the bus station, killing six people."
    violent = ["Remote explosive/landmine/IED", "Suicide bomb", "Armed clash", "Attack"]
    out = et.classify(text, among=violent)
    assert {k for k, _ in out} <= set(violent) and abs(sum(p for _, p in out) - 1.0) < 1e-6
    assert et.predict(text, among=violent)[0] == "Remote explosive/landmine/IED"
    assert et.predict(text, among=[]) == (None, 0.0)


# -- training and evaluation ----------------------------------------------------------

TOY = [
    ("Warplanes bombed the village at dawn.", "AIR_STRIKE"),
    ("Jets carried out air strikes on rebel positions.", "AIR_STRIKE"),
    ("A drone strike hit a car near the border.", "AIR_STRIKE"),
    ("Helicopters fired on the convoy from the air.", "AIR_STRIKE"),
    ("Air raids pounded the eastern suburbs.", "AIR_STRIKE"),
    ("An airstrike destroyed the bridge.", "AIR_STRIKE"),
    ("Thousands marched peacefully through the capital.", "PEACE_PROTEST"),
    ("Students rallied outside parliament demanding reform.", "PEACE_PROTEST"),
    ("Protesters held a peaceful sit-in at the square.", "PEACE_PROTEST"),
    ("Workers demonstrated against the new law.", "PEACE_PROTEST"),
    ("Hundreds protested peacefully in front of the ministry.", "PEACE_PROTEST"),
    ("Activists staged a silent march in the city.", "PEACE_PROTEST"),
    ("A flood swept away houses after heavy rain.", "NATURAL_DISASTER"),
    ("An earthquake shook the region overnight.", "NATURAL_DISASTER"),
    ("A cyclone hit the coast, flattening villages.", "NATURAL_DISASTER"),
    ("Landslides buried homes after torrential rains.", "NATURAL_DISASTER"),
    ("A powerful typhoon made landfall on Friday.", "NATURAL_DISASTER"),
    ("Wildfires forced thousands to flee.", "NATURAL_DISASTER"),
]


@pytest.fixture(scope="module")
def toy_tsv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("case") / "toy.tsv"
    lines = ["id\tEventSnippet\tSubType"] + [f"{i}\t{t}\t{l}" for i, (t, l) in enumerate(TOY)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_fit_save_load_round_trip(tmp_path):
    pytest.importorskip("sklearn")
    model = et.fit([t for t, _ in TOY], [l for _, l in TOY])
    model.card = {"training_data": {"sha256": "x"}}
    model.save(tmp_path)
    loaded = et.Model.load(tmp_path)
    text = "Fighter jets struck the town."
    assert loaded.classes == model.classes
    assert np.allclose(loaded.probabilities(text), model.probabilities(text), atol=1e-2)
    assert et.predict(text, loaded)[0] == "Air/drone strike"
    assert et.predict("A strong earthquake hit the north.", loaded)[0] is None


def test_read_case2021_rejects_other_files(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("a\tb\tc\n1\tx\ty\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a CASE 2021"):
        case2021.read_case2021(bad)
    unknown = tmp_path / "unknown.tsv"
    unknown.write_text("id\tEventSnippet\tSubType\n1\tsome text\tNOT_A_LABEL\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown CASE 2021 label"):
        case2021.evaluate_case2021(unknown)


def test_metrics_follow_scikit_learn():
    gold = ["a", "a", "b", "c", "c", "c"]
    pred = ["a", "b", "b", "c", "a", "d"]
    m = case2021.classification_metrics(gold, pred)
    sk = pytest.importorskip("sklearn.metrics")
    assert m["accuracy"] == round(sk.accuracy_score(gold, pred), 4)
    assert m["macro_f1"] == round(sk.f1_score(gold, pred, average="macro", zero_division=0), 4)
    assert m["weighted_f1"] == round(sk.f1_score(gold, pred, average="weighted", zero_division=0), 4)


def test_a_file_the_model_never_saw_is_scored_with_the_shipped_model(toy_tsv):
    result = case2021.evaluate_case2021(toy_tsv)
    assert result["mode"] == "shipped model" and result["n_docs"] == len(TOY)
    m = result["metrics"]
    assert {"accuracy", "macro_f1", "weighted_f1", "case_labels", "acled25", "per_class"} <= set(m)
    assert m["acled25"]["n"] == 12  # the disasters are "other"
    assert m["weighted_f1"] > 0.8


def test_the_training_file_is_cross_validated_never_scored_on_itself(toy_tsv):
    pytest.importorskip("sklearn")
    model = et.fit([t for t, _ in TOY], [l for _, l in TOY], {"C": 0.3})
    model.card = {"training_data": {"sha256": case2021.sha256_file(toy_tsv)}}
    result = case2021.evaluate_case2021(toy_tsv, model=model, folds=3, seeds=(0, 1))
    assert result["mode"] == "cross-validated" and result["folds"] == 3 and result["seeds"] == [0, 1]
    assert set(result["metrics"]["per_seed_weighted_f1"]) == {"0", "1"}


@pytest.mark.shared
def test_case2021_dev_is_cross_validated_above_the_target(eval_dir):
    pytest.importorskip("sklearn")
    path = eval_dir / "case2021-acled-types" / "dev.tsv"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    if case2021.sha256_file(path) != et.shipped_model().card["training_data"]["sha256"]:
        pytest.skip("dev.tsv is not the file the shipped model was trained on")
    result = case2021.evaluate_case2021(path, seeds=(0,))
    assert result["mode"] == "cross-validated" and result["n_docs"] == 509
    assert result["metrics"]["weighted_f1"] >= 0.75
