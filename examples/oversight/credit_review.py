"""Wrap a scikit-learn classifier with aims oversight: log, route to review, halt, export, verify.

Run: python examples/oversight/credit_review.py [WORKDIR]
"""

import json
import sys
import tempfile
from pathlib import Path

from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from aims.ledger.bundle import export_bundle, verify_bundle
from aims.ledger.checkpoint import Signer
from aims.ledger.keys import read_verifiers, write_signer
from aims.oversight import Oversight, RoutingRules, SystemHaltedError

work = Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp())
key = work / "log.key"
pub = write_signer(Signer.generate("example.com/credit-log"), key)
X, y = make_classification(n_samples=400, n_features=6, random_state=7)
model = LogisticRegression().fit(X[:300], y[:300])

# --- the ten lines -------------------------------------------------------------------------
ov = Oversight.open("credit-scoring", url=f"sqlite:///{work / 'decisions.db'}", key_path=key,
                    model="logreg", model_version="1.0", rules=RoutingRules(confidence_below=0.75))
for row in X[300:]:
    with ov.decision(input=row.tolist()) as d:
        proba = model.predict_proba([row])[0]
        d.record(output=int(proba.argmax()), confidence=float(proba.max()))
ov.halt("income feature drifted", by="risk-officer")
bundle = export_bundle(ov.log, read_verifiers(pub))
(work / "bundle.json").write_text(json.dumps(bundle))
report = verify_bundle(json.loads((work / "bundle.json").read_text()), read_verifiers(pub))
# ---------------------------------------------------------------------------------------------

try:
    with ov.decision(input=X[0].tolist()) as d:
        pass
except SystemHaltedError as exc:
    print(f"blocked: {exc}")
print(f"decisions routed to review: {len(ov.pending())} of {len(X) - 300}")
print(f"bundle verified: {report.ok} ({report.size} entries, {report.checkpoints} checkpoints)")
ov.close()
