"""Messages of the core in the user's language.

The core names every fault by a stable ``code`` (for programs and tests) and renders its
message in the active locale: 简体中文 by default, English on request. The web sets the locale per
request (``ronghe.middleware``), the CLI from ``RONGHE_LANG``; the core itself never imports Django,
so its catalogue lives here, one entry per code, both languages side by side.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

DEFAULT = "zh-Hans"
_locale: ContextVar[str] = ContextVar("ronghe_core_locale", default=DEFAULT)

# code: (简体中文, English). Parameters in braces are filled by ``message(code, **params)``.
CATALOGUE: dict[str, tuple[str, str]] = {
    "file.type": ("不支持的文件类型“{suffix}”：请另存为 .xlsx 或 .csv 后上传",
                  "unsupported file type '{suffix}': save the file as .xlsx or .csv"),
    "file.too_large": ("文件大小 {size} 超过上限 {limit}", "the file is {size}, more than the limit of {limit}"),
    "file.unreadable": ("无法读取该电子表格：{detail}", "cannot read the spreadsheet: {detail}"),
    "zip.bad": ("不是有效的 .xlsx 文件（压缩包已损坏）", "not a valid .xlsx file (the zip archive is damaged)"),
    "zip.members": ("压缩包内文件数 {count} 超过上限 {limit}",
                    "the archive holds {count} parts, more than the limit of {limit}"),
    "zip.method": ("压缩包内“{member}”使用了不支持的压缩方式", "the part '{member}' uses an unsupported compression"),
    "zip.unzipped": ("解压后大小超过上限 {limit}（疑似压缩炸弹）",
                     "unpacked, the file exceeds the limit of {limit} (a zip bomb?)"),
    "zip.ratio": ("“{member}”的压缩比 {ratio:.0f}:1 超过上限 {limit:.0f}:1（疑似压缩炸弹）",
                  "'{member}' is compressed {ratio:.0f}:1, more than the limit of {limit:.0f}:1 (a zip bomb?)"),
    "zip.size_mismatch": ("“{member}”的实际大小与声明不符",
                          "the real size of '{member}' differs from its declared size"),
    "xml.entities": ("“{member}”含有 DTD 或实体声明，电子表格中不允许出现（可能是实体扩展攻击）",
                     "'{member}' declares a DTD or entities, which a spreadsheet never needs (entity expansion)"),
    "sheet.rows": ("工作表“{sheet}”有 {rows} 行，超过上限 {limit} 行",
                   "sheet '{sheet}' has {rows} rows, more than the limit of {limit}"),
    "sheet.columns": ("工作表“{sheet}”有 {columns} 列，超过上限 {limit} 列",
                      "sheet '{sheet}' has {columns} columns, more than the limit of {limit}"),
    "sheet.cells": ("工作表“{sheet}”的区域 {rows} 行 × {columns} 列超过单元格上限 {limit}",
                    "sheet '{sheet}' spans {rows} rows × {columns} columns, more than the limit of {limit} cells"),
    # 统一社会信用代码 (GB 32100-2015)
    "uscc.length": ("统一社会信用代码应为 18 位，现为 {n} 位",
                    "a unified social credit code has 18 characters, not {n}"),
    "uscc.chars": ("不能含有字符 {chars}（代码由数字 0–9 和除 I、O、S、V、Z 以外的大写字母组成）",
                   "character(s) {chars} cannot appear (the code uses 0–9 and A–Y without I, O, S, V, Z)"),
    "uscc.division": ("第 3–8 位应为登记管理机关的 6 位行政区划代码",
                      "characters 3–8 must be the registering authority's 6-digit division code"),
    "uscc.org_check": ("第 17 位应为 {expected}（组织机构代码校验位）",
                       "character 17 should be {expected} (organisation code check)"),
    "uscc.check": ("第 18 位校验码应为 {expected}，不是 {found}",
                   "the check character (18th) should be {expected}, not {found}"),
    "organization.needed": ("企业必须填写此项", "an enterprise needs this"),
    "organization.jurisdiction": ("主管部门须有管辖地区，或为全国性主管部门",
                                  "an authority needs a jurisdiction (a region) or to be national"),
    # answers: a cell that is not a valid answer to its item
    "answer.option": ("{item} 没有这个选项；请从 {ids} 中选择", "not an option of {item}; choose one of {ids}"),
    "answer.options": ("“{part}”不是 {item} 的选项；可选 {ids}，用逗号分隔，都没有请填“无”",
                       "{part!r} is not an option of {item}; choose any of {ids}, separated by commas, or 无"),
    "answer.exclusive": ("{item} 的“{option}”不能与其他选项同时选择",
                         "{item}: “{option}” excludes the other options"),
    "answer.yesno": ("{item} 请填“是”或“否”", "{item} takes 是 or 否 (yes/no)"),
    "answer.number": ("{item} 应填数字{unit}", "{item} takes a number{unit}"),
    "answer.unit": ("（单位：{unit}）", " in {unit}"),
    "answer.range": ("{item} 的取值应在 {span}{unit} 之间", "{item} must lie within {span}{unit}"),
    "answer.range_unit": (" {unit}", " {unit}"),
    "answer.unknown_item": ("不是本评估框架的题目", "not an item of this framework"),
    "answer.required": ("必答题未作答", "a required question is unanswered"),
    # answers files: their structure and identity columns
    "file.no_sheet": ("没有名为“{sheet}”的工作表（现有：{names}）", "no sheet {sheet!r} (sheets: {names})"),
    "file.no_header": ("找不到表头行：前几行中既没有题号，也没有“enterprise”列"
                       "（请从 `ronghe assess template` 生成的模板开始）",
                       "no header row: the first rows name no item id and no 'enterprise' column (start from "
                       "`ronghe assess template`)"),
    "file.duplicate_column": ("重复的列（与第 {other} 列相同）", "duplicate column (also column {other})"),
    "file.unknown_column": ("第 {letter} 列不是 {framework} 的题目{hint}",
                            "unknown column {letter}: not an item of {framework}{hint}"),
    "file.unknown_column_hint": ("；是否应为“{name}”？", "; did you mean {name!r}?"),
    "file.no_enterprise_column": ("缺少“enterprise”（企业名称）列", "the 'enterprise' column (企业名称) is missing"),
    "file.no_rows": ("文件中没有答卷行", "the file has no answer rows"),
    "row.enterprise_empty": ("企业名称为空", "the enterprise name is empty"),
    "row.region": ("地区应为 6 位 GB/T 2260 行政区划代码", "a region is a 6-digit GB/T 2260 code"),
    "row.industry": ("行业应为 GB/T 4754 的大类（2 位数字）或门类（A–T）",
                     "an industry is a GB/T 4754 division (2 digits) or section (A–T)"),
    "row.size": ("规模应为以下之一：{bands}", "a size band is one of {bands}"),
    "row.year_number": ("年度应为数字", "the year must be a number"),
    "row.year_range": ("年度应为 {first} 至 {last} 之间的整数",
                       "the year must be a whole number from {first} to {last}"),
    "row.duplicate": ("重复的企业（首次出现在第 {first} 行）", "duplicate enterprise (first at row {first})"),
    "row.duplicate_year": ("同一企业同一年度重复（首次出现在第 {first} 行）",
                           "duplicate enterprise and year (first at row {first})"),
    # regional index data
    "data.unreadable_csv": ("无法读取该 CSV 文件：{detail}", "cannot read the CSV: {detail}"),
    "data.twice": ("{region} {year} 的数据在 {file} 中也出现了", "{region} {year} is also given in {file}"),
    "data.year": ("年度应为 1949 至 2200 之间的整数", "the year must be a whole number from 1949 to 2200"),
    "data.indicator": ("不是本指数的指标", "not an indicator of this index"),
    "data.value": ("取值应为有限的数字", "the value must be a finite number"),
    "data.duplicate_value": ("重复的取值（首次出现在第 {first} 行）", "duplicate value (first at row {first})"),
    "data.sheet_year": ("宽表格式中每个工作表应以年度命名（如 2015）",
                        "in the wide shape each sheet is named by its year (e.g. 2015)"),
    "data.region_column": ("缺少“region”列", "the 'region' column is missing"),
    "data.long_column": ("缺少“{field}”列：长表格式的每个工作表都应有 region、year、indicator、value 四列",
                         "the '{field}' column is missing: every sheet of a long file has region, year, indicator "
                         "and value"),
    "data.duplicate_region": ("重复的地区（首次出现在第 {first} 行）", "duplicate region (first at row {first})"),
    "data.number": ("取值应为数字", "the value must be a number"),
    "data.unit_code": ("单位代码不能为空", "the unit's code is empty"),
    "data.name_column": ("缺少“name”列：园区、行业、企业集团等非行政区划单位须在数据中给出名称",
                         "the 'name' column is missing: units other than regions (parks, industries, groups) are "
                         "named in the data"),
    "data.name": ("名称不能为空", "the name is empty"),
    "data.empty": ("文件中没有任何指标数据", "the file holds no indicator values"),
    "index.weight_noise": ("权重扰动幅度应不小于 0 且小于 1（当前为 {value}）：达到 1 时权重可能为零或负数",
                           "the weight perturbation must be at least 0 and below 1 (given {value}): at 1 or more a "
                           "weight can become zero or negative"),
    "index.no_alternative": ("“{step}”至少需要一种方法", "'{step}' needs at least one method"),
    "index.unknown_method": ("“{step}”没有“{method}”方法（可选：{options}）",
                             "'{step}' has no method '{method}' (choose from {options})"),
    "index.needs_reference": ("比值法标准化需要每个指标的参考值，以下指标缺少：{indicators}",
                              "ratio normalisation needs a reference value for every indicator; missing for "
                              "{indicators}"),
    "index.needs_target": ("目标值法标准化需要每个指标的目标值，以下指标缺少：{indicators}",
                           "target normalisation needs a target for every indicator; missing for {indicators}"),
    "index.nonpositive": ("{aggregation}聚合需要正数，但“{normalisation}”标准化后有 {count} 个取值 ≤ 0；"
                          "请去掉该组合，或在 aggregate 步骤中明确设定 floor（下限）",
                          "{aggregation} aggregation needs positive values, but {count} value(s) are ≤ 0 after "
                          "'{normalisation}' normalisation; drop that pair or set an explicit floor on the "
                          "aggregate step"),
    "index.out_format": ("不支持的输出格式“{suffix}”：可选 {options}",
                         "unsupported output format '{suffix}': choose {options}"),
    "index.sobol_n": ("Sobol 基础样本数应至少为 2（当前为 {value}）",
                      "the Sobol base sample needs at least 2 (given {value})"),
    "index.no_step": ("要比较不同的“{step}”方法，指标体系的 pipeline 中须有 {step} 步骤（例如 "
                      "{{step: {step}, method: none}}）",
                      "alternatives for '{step}' need a {step} step in the definition's pipeline (e.g. "
                      "{{step: {step}, method: none}})"),
    "index.no_zone": ("group_mean 按地区所属的东、中、西部分组插补；“{unit}”类单位没有分区，请改用其他插补方法",
                      "group_mean imputes from a region's east/central/west zone; units of kind '{unit}' have "
                      "no zone: choose another imputation"),
    "index.log_units": ("对数处理会改变指标的单位，而比值法和目标值法的参考值、目标值以原单位给出："
                        "log 不能与 {methods} 标准化同时使用",
                        "a log treatment changes the indicators' units, while reference and target values are "
                        "in the original units: log cannot go with {methods} normalisation"),
    "index.level": ("置信水平应在 0 与 1 之间（当前为 {value}）",
                    "the confidence level must lie between 0 and 1 (given {value})"),
    "csv.encoding": ("CSV 文件既不是 UTF-8 也不是 GB18030 编码", "the CSV is neither UTF-8 nor GB18030 text"),
    "csv.line": ("第 {row} 行的长度超过单行上限 {limit}", "line {row} is longer than the limit of {limit} per line"),
    "csv.rows": ("CSV 文件的行数超过上限 {limit} 行", "the CSV has more lines than the limit of {limit}"),
    "csv.cells": ("CSV 文件约有 {cells} 个单元格，超过上限 {limit}",
                  "the CSV holds about {cells} cells, more than the limit of {limit}"),
    "csv.nul": ("CSV 文件含有空字符（NUL），不是文本文件", "the CSV contains NUL characters: it is not a text file"),
    "target.achieved": ("已实现", "achieved"),
    "target.on_track": ("进度正常", "on track"),
    "target.off_track": ("进度落后", "off track"),
    "target.missed": ("未按期实现", "missed"),
    "target.unknown": ("未实现，缺少基期无法判断进度", "not reached; no baseline to judge the pace"),
    "target.no_data": ("暂无数据", "no data"),
    "target.no_rate": ("所用评估框架没有关键比率“{rate}”，无法测算",
                       "the frameworks used declare no key rate '{rate}'"),
    "target.no_assessments": ("范围内没有已评估的企业", "no assessed enterprises in the scope"),
    "target.no_index": ("没有该地区的指数结果", "no index results for this region"),
    "target.other_framework": ("只统计以下框架的评估：{frameworks}", "counts assessments of {frameworks} only"),
    "target.other_region": ("指数目标只在其所属地区测算", "an index target is measured for its own region only"),
    # 评定 lifecycles (ronghe.core.certification.lifecycle) and evidence files (ronghe.core.io.sniff)
    "cert.transition.unknown": ("没有名为“{name}”的操作", "there is no action '{name}'"),
    "cert.transition.state": ("当前状态为“{state}”，不能“{action}”；该操作只适用于：{allowed}",
                              "'{action}' does not apply in the state '{state}'; it applies to: {allowed}"),
    "cert.transition.role": ("您无权“{action}”：该操作由{roles}办理", "you may not '{action}': it is done by {roles}"),
    "cert.role.enterprise": ("申请企业", "the applicant enterprise"),
    "cert.role.body": ("评定机构", "the assessment body"),
    "cert.role.assessor": ("指派的评定人员", "the assigned assessors"),
    "cert.role.committee": ("评定工作委员会", "the assessment committee"),
    "cert.role.system": ("平台自动处理", "the platform itself"),
    "cert.trial_run.missing": ("尚未记录体系试运行开始日期，不能申请评定",
                               "the trial run's start date is not recorded, so the enterprise cannot apply"),
    "cert.trial_run.short": ("体系自 {start} 起试运行，须满 {months} 个月（{ready} 起）方可申请评定",
                             "the system has run on trial since {start}; it must run {months} months (until {ready}) "
                             "before applying"),
    "cert.internal_audit.missing": ("尚未完成内部审核，不能申请评定", "the internal audit is not done yet"),
    "cert.internal_audit.early": ("内部审核（{day}）须在试运行满 {months} 个月后进行",
                                  "the internal audit ({day}) must take place {months} months into the trial run"),
    "cert.management_review.missing": ("尚未完成管理评审，不能申请评定", "the management review is not done yet"),
    "cert.management_review.early": ("管理评审（{day}）须在试运行满 {months} 个月后进行",
                                     "the management review ({day}) must take place {months} months into the "
                                     "trial run"),
    "cert.case.open": ("该企业已有正在办理的评定，不能重复申请",
                       "the enterprise already has an assessment in progress"),
    "cert.reassessment.previous": ("再评定须针对有效或暂停中的证书",
                                   "a re-assessment needs a valid or suspended certificate"),
    "cert.team.missing": ("尚未指派审核组长，不能制定审核计划", "assign a lead assessor before planning the audit"),
    "cert.plan.missing": ("请填写审核日期", "give the audit date"),
    "cert.plan.order": ("第二阶段审核日期 {day} 早于第一阶段审核日期 {earlier}",
                        "the stage-2 audit date {day} is before the stage-1 audit on {earlier}"),
    "cert.audit.future": ("审核计划日期为 {day}，尚未到达，不能完成审核",
                          "the audit is planned for {day}, which has not come yet"),
    "cert.report.missing": ("请填写审核报告或结论说明", "write the audit report or the conclusion's reasoning"),
    "cert.reason.missing": ("请填写理由", "give a reason"),
    "cert.findings.open": ("还有 {count} 个不符合项的纠正措施未经验证，不能给出评定结论",
                           "{count} nonconformities still await verification of their corrective action"),
    "cert.grade.missing": ("请选择评定等级（A、AA 或 AAA）", "choose a grade (A, AA or AAA)"),
    "cert.grade.no_assessment": ("无已审核通过的评估", "no approved assessment"),
    "cert.grade.aa": ("AA 级要求企业最近一次审核通过的两化融合评估达到单项覆盖及以上，目前为：{stage}",
                      "grade AA needs the latest approved assessment at 单项覆盖 or above; it is: {stage}"),
    "cert.grade.aaa": ("AAA 级要求企业最近一次审核通过的两化融合评估达到集成提升或创新突破，目前为：{stage}",
                       "grade AAA needs the latest approved assessment at 集成提升 or 创新突破; it is: {stage}"),
    "cert.notice.missing": ("请填写公示开始日期", "give the start date of the public notice"),
    "cert.notice.running": ("公示期至 {end} 结束，公示期满后方可发证",
                            "the public notice runs until {end}; the certificate is issued after it"),
    "cert.finding.answer": ("请填写纠正和纠正措施", "describe the correction and the corrective action"),
    "cert.surveillance.none": ("该证书没有待进行的监督审核", "no surveillance audit of this certificate is due"),
    "cert.expire.early": ("证书有效期至 {day}，尚未到期", "the certificate is valid until {day}"),
    "cert.reinstate.expired": ("证书已于 {day} 到期，不能恢复",
                               "the certificate expired on {day} and cannot be reinstated"),
    "cert.change.none": ("没有要变更的内容", "nothing to change"),
    "cert.assign.member": ("{user} 不是{body}的成员，不能指派", "{user} is not a member of {body}"),
    "cert.assign.conflict": ("利益冲突：{user} 所在的{orgs}为该企业提供过服务或就是该企业，不能参与评定",
                             "conflict of interest: {user} belongs to {orgs}, which is or consulted the enterprise"),
    "cert.assign.closed": ("评定已结束（{state}），不能再指派评定人员", "the case is closed ({state})"),
    "cert.finding.case_state": ("当前状态为“{state}”，不在审核阶段，不能处理不符合项",
                                "the case is '{state}', not under audit: nonconformities cannot be handled now"),
    # pilot programmes (ronghe.core.programs): lifecycles, eligibility, the review
    "programs.transition.unknown": ("没有名为“{name}”的操作", "there is no action '{name}'"),
    "programs.transition.state": ("当前状态为“{state}”，不能“{action}”；该操作只适用于：{allowed}",
                                  "'{action}' does not apply in the state '{state}'; it applies to: {allowed}"),
    "programs.transition.role": ("您无权“{action}”：该操作由{roles}办理",
                                 "you may not '{action}': it is done by {roles}"),
    "programs.role.owner": ("发布申报通知的主管部门", "the authority that published the call"),
    "programs.role.handler": ("申报所在的主管部门", "the authority the declaration is with"),
    "programs.role.enterprise": ("申报企业", "the declaring enterprise"),
    "programs.role.system": ("平台自动处理", "the platform itself"),
    "programs.reason.missing": ("请填写理由", "give a reason"),
    "programs.dates.missing": ("请填写申报开始日期、申报截止日期和推荐截止日期",
                               "give the opening day, the deadline for declarations and the deadline for "
                               "recommendations"),
    "programs.dates.order": ("日期顺序不对：申报开始 ≤ 申报截止 ≤ 推荐截止",
                             "the dates are out of order: opening ≤ declaration deadline ≤ recommendation deadline"),
    "programs.dates.past": ("申报截止日期 {day} 已过", "the declaration deadline {day} has passed"),
    "programs.window.running": ("申报至 {day} 截止，截止后方可关闭申报", "declarations are open until {day}"),
    "programs.pending": ("还有 {count} 份申报尚未推荐或受理", "{count} declarations still await recommendation or "
                                                              "acceptance"),
    "programs.accepted.none": ("没有已受理的申报，无法开始评审", "no declaration has been accepted for review"),
    "programs.panel.none": ("尚未抽取评审专家", "no expert panel has been drawn"),
    "programs.panel.short": ("有 {count} 份申报的无利益冲突评审专家不足，请重新抽取或扩充专家库",
                             "{count} declarations have too few experts without a conflict of interest: draw "
                             "again or widen the pool"),
    "programs.panel.pool": ("专家库中无利益冲突的专家不足：有 {count} 份申报达不到 {min} 名评审专家",
                            "the pool has too few experts without a conflict: {count} declarations cannot have "
                            "{min} reviewers"),
    "programs.panel.state": ("只能在推荐与受理阶段抽取评审专家", "the panel is drawn during recommendation and "
                                                                "acceptance"),
    "programs.sheets.missing": ("还有 {count} 份评分表未提交", "{count} score sheets are not submitted yet"),
    "programs.notice.missing": ("请填写公示开始日期", "give the start date of the public notice"),
    "programs.notice.running": ("公示期至 {end} 结束，公示期满后方可公布名单",
                                "the public notice runs until {end}; the list is published after it"),
    "programs.call.closed": ("该申报通知当前不接受申报", "the call does not take declarations now"),
    "programs.call.not_yet": ("申报自 {day} 开始", "declarations open on {day}"),
    "programs.call.over": ("申报已于 {day} 截止", "declarations closed on {day}"),
    "programs.eligible.fail": ("不符合申报条件：{reasons}", "not eligible: {reasons}"),
    "programs.materials.missing": ("缺少必交材料：{names}", "required materials missing: {names}"),
    "programs.recommend.at_owner": ("申报已在发布申报通知的主管部门，无需再推荐，请受理或退回",
                                    "the declaration is with the call's own authority: accept or return it"),
    "programs.recommend.closed": ("当前不在推荐阶段", "recommendations are not taken now"),
    "programs.recommend.over": ("推荐已于 {day} 截止", "recommendations closed on {day}"),
    "programs.accept.not_at_owner": ("申报尚未推荐到发布申报通知的主管部门", "the declaration has not reached "
                                                                          "the call's authority yet"),
    "programs.quota.full": ("推荐名额已用完（{quota} 个）", "the quota of {quota} recommendations is used up"),
    "programs.unlist.not_in_notice": ("只有公示期间才能因异议移出名单", "only during the notice can an objection "
                                                                      "take a declaration off the list"),
    "programs.declare.duplicate": ("该企业已申报过本通知", "the enterprise has already declared to this call"),
    "programs.declare.state": ("只有申报中的通知可以申报", "only an open call takes declarations"),
    "programs.review.state": ("当前不在专家评审阶段", "the expert review is not running"),
    "programs.review.excluded": ("因利益冲突回避，不参加该申报的评审：{reason}",
                                 "excluded for a conflict of interest: {reason}"),
    "programs.review.submitted": ("评分表已提交，不能修改", "the score sheet is submitted and cannot change"),
    "programs.conflict.region": ("与申报企业同属{region}", "in the same region as the enterprise ({region})"),
    "programs.conflict.tie": ("所在单位{org}与申报企业存在关联或服务关系",
                              "works for {org}, which is or served the enterprise"),
    "programs.unknown": ("未知", "unknown"),
    "programs.scope.country": ("全国", "the whole country"),
    "programs.scope.region.ok": ("企业所在地区（{region}）在申报范围（{scope}）内",
                                 "the enterprise's region ({region}) is within the call's scope ({scope})"),
    "programs.scope.region.fail": ("企业所在地区（{region}）不在申报范围（{scope}）内",
                                   "the enterprise's region ({region}) is outside the call's scope ({scope})"),
    "programs.scope.industry.ok": ("企业所属行业（{industry}）在申报范围内",
                                   "the enterprise's industry ({industry}) is within the call's scope"),
    "programs.scope.industry.fail": ("企业所属行业（{industry}）不在申报范围内（限：{allowed}）",
                                     "the enterprise's industry ({industry}) is not among {allowed}"),
    "programs.scope.size.ok": ("企业规模（{size}）在申报范围内", "the enterprise's size ({size}) is within the scope"),
    "programs.scope.size.fail": ("企业规模（{size}）不在申报范围内（限：{allowed}）",
                                 "the enterprise's size ({size}) is not among {allowed}"),
    "programs.rule.no_assessment": ("无审核通过的两化融合评估", "no approved assessment"),
    "programs.rule.no_certificate": ("无有效的评定证书", "no certificate in force"),
    "programs.rule.stage.ok": ("最近一次审核通过的评估为{have}，达到{need}及以上",
                               "the latest approved assessment is at {have}, {need} or above"),
    "programs.rule.stage.fail": ("要求最近一次审核通过的两化融合评估达到{need}及以上，目前为：{have}",
                                 "needs the latest approved assessment at {need} or above; it is: {have}"),
    "programs.rule.total.ok": ("最近一次审核通过的评估总分 {have}，不低于 {min}",
                               "the latest approved assessment scores {have}, at least {min}"),
    "programs.rule.total.fail": ("要求最近一次审核通过的评估总分不低于 {min}，目前为：{have}",
                                 "needs a total of at least {min} in the latest approved assessment; it is: {have}"),
    "programs.rule.year.ok": ("最近一次审核通过的评估为 {have} 年，不早于 {year} 年",
                              "the latest approved assessment is of {have}, {year} or later"),
    "programs.rule.year.fail": ("要求 {year} 年或以后审核通过的评估，目前最近一次为：{have}",
                                "needs an approved assessment of {year} or later; the latest is: {have}"),
    "programs.rule.certificate.ok": ("持有有效的两化融合管理体系评定证书（{have} 级），不低于 {min} 级",
                                     "holds a certificate in force of grade {have}, {min} or above"),
    "programs.rule.certificate.fail": ("要求持有 {min} 级及以上的有效两化融合管理体系评定证书，目前：{have}",
                                       "needs a certificate in force of grade {min} or above; holds: {have}"),
    "programs.rule.findings.ok": ("没有未关闭的评定不符合项", "no open nonconformity"),
    "programs.rule.findings.fail": ("有 {count} 个评定不符合项的纠正措施尚未验证关闭",
                                    "{count} nonconformities await verification of their corrective action"),
    "programs.describe.stage": ("最近一次审核通过的两化融合评估达到{need}及以上",
                                "the latest approved assessment at {need} or above"),
    "programs.describe.total": ("最近一次审核通过的评估总分不低于 {min}",
                                "a total of at least {min} in the latest approved assessment"),
    "programs.describe.year": ("有 {year} 年或以后审核通过的评估", "an approved assessment of {year} or later"),
    "programs.describe.certificate": ("持有 {min} 级及以上的有效两化融合管理体系评定证书",
                                      "a management-system certificate in force of grade {min} or above"),
    "programs.describe.findings": ("没有未关闭的评定不符合项", "no open nonconformity of an assessment"),
    # service requests (ronghe.core.providers)
    "providers.transition.unknown": ("没有名为“{name}”的操作", "there is no action '{name}'"),
    "providers.transition.state": ("当前状态为“{state}”，不能“{action}”；该操作只适用于：{allowed}",
                                   "'{action}' does not apply in the state '{state}'; it applies to: {allowed}"),
    "providers.transition.role": ("您无权“{action}”：该操作由{roles}办理",
                                  "you may not '{action}': it is done by {roles}"),
    "providers.role.enterprise": ("提出需求的企业", "the requesting enterprise"),
    "providers.role.provider": ("服务商", "the provider"),
    "providers.answer.missing": ("请填写答复（服务方案、报价或联系方式）", "write the answer (proposal, price or "
                                                                        "contact)"),
    "providers.rating.missing": ("请给出 1–5 分的评价", "give a rating from 1 to 5"),
    "providers.offering.unlisted": ("该服务商或服务目前未上架", "the provider or offering is not listed"),
    "providers.tag.unknown": ("“{node}”不是 {framework} 的指标", "'{node}' is not a node of {framework}"),
    "evidence.type": ("不支持的证据文件类型：只接受 PDF、PNG、JPEG 图片和 Office（docx、xlsx、pptx）文档，"
                      "按文件内容判断",
                      "unsupported evidence file: only PDF, PNG, JPEG and Office (docx, xlsx, pptx) files are "
                      "accepted, judged by their content"),
    "evidence.empty": ("文件是空的", "the file is empty"),
}


def current_locale() -> str:
    return _locale.get()


@contextmanager
def use_locale(locale: str | None) -> Iterator[None]:
    """Render core messages in ``locale`` inside the block (``en…`` → English, else 简体中文)."""
    token = _locale.set(_normalise(locale))
    try:
        yield
    finally:
        _locale.reset(token)


def set_locale(locale: str | None) -> None:
    """Set the locale of the current context (a request, a CLI run) until it is set again."""
    _locale.set(_normalise(locale))


def _normalise(locale: str | None) -> str:
    return "en" if locale and locale.lower().startswith("en") else DEFAULT


def message(code: str, **params: object) -> str:
    """The message of ``code`` in the active locale, with ``params`` filled in."""
    zh, en = CATALOGUE[code]
    return (en if _locale.get() == "en" else zh).format(**params)


def size(n: float) -> str:
    """A byte count for people: 1.5 MB, 200 KB (binary units, as file managers show them)."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            value = n / scale
            return f"{value:.0f} {unit}" if value >= 10 or value.is_integer() else f"{value:.1f} {unit}"
    return f"{int(n)} B"
