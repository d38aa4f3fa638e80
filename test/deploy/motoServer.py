"""moto's server with two changes to its CloudFormation, so `serverless deploy` runs as on AWS.

1. ValidateTemplate relaxed to cfn-lint's errors. Stock moto fails it on any cfn-lint finding,
   warnings and informational ones included; AWS's ValidateTemplate does not lint at all.
   `serverless deploy` calls it before every stack update, so a warning the project judged
   harmless (listed in test/deploy/cfnLintAllowed.json) would stop the deploy.
2. Fn::ImportValue in stacks made by a change set. Stock moto gives such a stack (serverless
   deploys through change sets) an empty list of exports, and any import fails with "No export
   named ...". It also drops the region's exports when they are still empty at creation.
   Here every stack reads the region's exports, as on AWS.

Usage: python3 motoServer.py PORT
"""
import sys

try:
    import moto.cloudformation.models as cfn_models
    from moto.server import main
except ImportError:
    sys.stderr.write("moto is missing: pip install 'moto[server,cloudformation]==5.2.1' cfn-lint==1.51.0\n")
    sys.exit(3)

_lint = cfn_models.validate_template_cfn_lint


def _errors_only(template):
    # cfn-lint rule ids: E… errors, W… warnings, I… informational.
    return [match for match in _lint(template) if match.rule.id.startswith("E")]


cfn_models.validate_template_cfn_lint = _errors_only

_stack_init = cfn_models.Stack.__init__


def _stack_reading_region_exports(self, *args, **kwargs):
    _stack_init(self, *args, **kwargs)
    exports = cfn_models.cloudformation_backends[self.account_id][self.region_name].exports
    self.cross_stack_resources = exports
    self.resource_map.cross_stack_resources = exports


cfn_models.Stack.__init__ = _stack_reading_region_exports

if __name__ == "__main__":
    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
