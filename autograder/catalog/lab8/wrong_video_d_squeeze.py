"""The channel axis removed with .squeeze(): it also drops B or T' when they are 1 (the issue's list;
DLHacks/mocogan's discriminators end with .view(-1, 1).squeeze(1), one step away)."""
EXERCISE = "VideoDiscriminator"
EXPECT = ".squeeze()"
EDIT = [("        return self.net(video)[:, 0]", "        return self.net(video).squeeze()")]
