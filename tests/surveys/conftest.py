import time

import pytest

from weijian.surveys.actions import create_survey, ensure_builtin_questionnaires, start_stamp


@pytest.fixture
def survey(world, settings):
    settings.WEIJIAN_SURVEY_MIN_SECONDS = 5
    settings.WEIJIAN_SURVEY_RATE_PER_HOUR = 3
    questionnaires = ensure_builtin_questionnaires()
    return create_survey(world.admin, questionnaires["INPAT"], world.hospital, "住院患者满意度调查")


def answers(survey, overall=5, **extra):
    """A complete valid answer: every scale question 4, the overall one `overall`."""
    data = {"started": start_stamp(survey, time.time() - 60)}
    for q in survey.questionnaire.questions.all():
        if q.type == "SCALE":
            data[q.field_name] = str(overall if q.overall else 4)
        elif q.type == "SINGLE":
            data[q.field_name] = "0"
    data.update(extra)
    return data


def field(survey, text_start: str) -> str:
    return survey.questionnaire.questions.get(text__startswith=text_start).field_name
