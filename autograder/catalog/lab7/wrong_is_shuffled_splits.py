"""The predictions are shuffled before they are cut into splits (seeded here, so the grade is reproducible).

Lightning-AI/torchmetrics' InceptionScore.compute permutes the features with torch.randperm before chunking them,
and Kay Hartmann's calculate_inception_score (np.random.permutation of the predictions) does the same; the
contract asks for consecutive blocks, so the split scores and their spread change.
"""
EXERCISE = "inception_score"
EXPECT = "consecutive blocks"
EDIT = [("for block in log_p.chunk(splits):",
         "idx = torch.randperm(len(log_p), generator=torch.Generator().manual_seed(0))\n"
         "    for block in log_p[idx].chunk(splits):")]
