"""gamma of the wrong shape: one scale per class shared by all channels (nn.Embedding(num_classes, 1)), cf. the
gamma/beta shape bug of ap229997/Conditional-Batch-Norm issue #8."""
EXERCISE = "ConditionalBatchNorm2d"
EXPECT = "one value per class and channel"
EDIT = [("self.gamma = nn.Embedding(num_classes, num_features)", "self.gamma = nn.Embedding(num_classes, 1)")]
