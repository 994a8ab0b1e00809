"""The defaults applied only when both statistics and distance are None (one given, the other None, crashes)."""
EXERCISE = "fid_from_features"
EXPECT = "each independently"
EDIT = [("statistics = statistics or feature_statistics\n    distance = distance or frechet_distance",
         "if statistics is None and distance is None:\n"
         "        statistics, distance = feature_statistics, frechet_distance")]
