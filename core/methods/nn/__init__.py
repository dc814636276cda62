"""The shared neural-network parts of the methods: layers, losses, training tasks, the
:class:`~core.methods.nn.torch_method.TorchMethod` base and option checks.

Public: personalization and plug-in methods build on these modules (torch is imported here).
"""
