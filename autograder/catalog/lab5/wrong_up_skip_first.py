"""The skip concatenated first, [skip, h]: the next block's weights then meet the channels in another order (the
contract, and junyanz's UnetSkipConnectionBlock, which returns torch.cat([x, self.model(x)], 1) with the skip first,
differ here: copying that line into this contract is the mistake)."""
EXERCISE = "UNetUp"
EXPECT = "skip comes first"
EDIT = [("return torch.cat([self.block(x), skip], dim=1)", "return torch.cat([skip, self.block(x)], dim=1)")]
