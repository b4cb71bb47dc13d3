"""verify: the rendered SAM template through the tools AWS uses, before anything is written.

1. aws-sam-translator, in-process: the template must transform (LS701);
2. the limits neither tool checks with the functions that cause them (LS711-LS714, limits.py);
3. cfn-lint on both forms, the SAM template and the transformed one (LS702 errors, LS703 warnings).
Every finding points at the lift.yaml line that produced the offending resource.

This package's own import is light on purpose: `liftspec.verify.pool` starts cfn-lint workers before
the rest of liftspec is imported. The stages are in verifier.py.
"""
